package io.retrainer.core.serving;

import io.retrainer.api.RolloutPlan;
import io.retrainer.core.json.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stores a {@link RolloutPlan} as JSON with an endpoint, so a moved alias redeploys the same way. */
final class RolloutPlans {
    private RolloutPlans() {
    }

    static String toJson(RolloutPlan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", p.steps());
        m.put("step_interval_ms", p.stepInterval().toMillis());
        m.put("max_error_rate_increase", p.maxErrorRateIncrease());
        m.put("max_p99_latency_ratio", p.maxP99LatencyRatio());
        m.put("quality_metric", p.qualityMetric());
        m.put("max_quality_drop", p.maxQualityDrop());
        m.put("min_labelled", p.minLabelled());
        m.put("shadow_fraction", p.shadowFraction());
        m.put("shadow_duration_ms", p.shadowDuration().toMillis());
        return Json.write(m);
    }

    @SuppressWarnings("unchecked")
    static RolloutPlan fromJson(String json) {
        if (json == null) {
            return RolloutPlan.immediate();
        }
        Map<String, Object> m = Json.readMap(json);
        List<Integer> steps = ((List<Number>) m.get("steps")).stream().map(Number::intValue).toList();
        return new RolloutPlan(steps, Duration.ofMillis(((Number) m.get("step_interval_ms")).longValue()),
                ((Number) m.get("max_error_rate_increase")).doubleValue(), ((Number) m.get("max_p99_latency_ratio")).doubleValue(),
                (String) m.get("quality_metric"), ((Number) m.get("max_quality_drop")).doubleValue(),
                ((Number) m.get("min_labelled")).intValue(), ((Number) m.get("shadow_fraction")).doubleValue(),
                Duration.ofMillis(((Number) m.get("shadow_duration_ms")).longValue()));
    }
}
