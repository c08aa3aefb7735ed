package io.retrainer.core.serving;

import io.prometheus.client.Gauge;
import io.retrainer.api.Prediction;
import io.retrainer.core.metrics.PlatformMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Compares a shadow's answers with the live answers to the same requests: the agreement rate
 * (same class, or regression values within 1e-6 relative) per endpoint and shadow version. Live
 * answers are remembered briefly by prediction id; the shadow's answer for the same id arrives
 * moments later from a worker thread.
 */
public final class ShadowComparison implements PredictionListener {
    private static final int REMEMBERED = 50_000;

    /**
     * Agreement so far.
     *
     * @param version the shadow version
     * @param compared requests answered by both
     * @param agreed of those, how many got the same answer
     */
    public record Agreement(int version, long compared, long agreed) {
        /** agreed / compared, or NaN before any comparison. */
        public double rate() {
            return compared == 0 ? Double.NaN : (double) agreed / compared;
        }
    }

    private final Map<String, Prediction> live = java.util.Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Prediction> eldest) {
            return size() > REMEMBERED;
        }
    });
    private final Map<String, Counts> byEndpoint = new ConcurrentHashMap<>();
    private final Gauge gauge;

    private static final class Counts {
        final int version;
        final LongAdder compared = new LongAdder();
        final LongAdder agreed = new LongAdder();

        Counts(int version) {
            this.version = version;
        }
    }

    /** A comparison exporting {@code retrainer_shadow_agreement}. */
    public ShadowComparison(PlatformMetrics metrics) {
        gauge = Gauge.build("retrainer_shadow_agreement", "Fraction of mirrored requests where the shadow agreed with the live answer")
                .labelNames("endpoint", "version").register(metrics.registry());
    }

    @Override
    public void onBatch(ServedBatch batch) {
        if (!batch.shadow()) {
            if (batch.outputs().size() == batch.ids().size()) {
                for (int i = 0; i < batch.ids().size(); i++) {
                    live.put(batch.ids().get(i), batch.outputs().get(i));
                }
            }
            return;
        }
        int version = batch.model().ref().version();
        Counts c = byEndpoint.compute(batch.endpoint(), (e, old) -> old == null || old.version != version ? new Counts(version) : old);
        for (int i = 0; i < batch.ids().size() && i < batch.outputs().size(); i++) {
            Prediction liveAnswer = live.remove(batch.ids().get(i));
            if (liveAnswer == null) {
                continue;
            }
            c.compared.increment();
            if (same(liveAnswer, batch.outputs().get(i))) {
                c.agreed.increment();
            }
        }
        Agreement a = agreement(batch.endpoint()).orElseThrow();
        gauge.labels(batch.endpoint(), Integer.toString(version)).set(a.rate());
    }

    /** Agreement of the endpoint's current (or last) shadow. */
    public Optional<Agreement> agreement(String endpoint) {
        Counts c = byEndpoint.get(endpoint);
        return c == null ? Optional.empty() : Optional.of(new Agreement(c.version, c.compared.sum(), c.agreed.sum()));
    }

    private static boolean same(Prediction a, Prediction b) {
        if (a.label() != null || b.label() != null) {
            return a.label() != null && a.label().equals(b.label());
        }
        return Math.abs(a.value() - b.value()) <= 1e-6 * Math.max(1, Math.abs(a.value()));
    }
}
