package io.retrainer.core.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.pipeline.DataWindow;
import io.retrainer.core.pipeline.PipelineDefinition;
import io.retrainer.core.pipeline.PipelineParser;
import io.retrainer.core.pipeline.TriggerSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every trigger kind and the data window in the pipeline document: defaults, and problems by path. */
class TriggerParsingTest {
    static final String HEAD = """
            name: churn
            source: { plugin: csv, config: { path: data/churn.csv, label: churned } }
            train: { plugin: logistic-regression }
            deploy: { plugin: local-serving, config: { endpoint: churn } }
            """;

    static PipelineParser.Result parse(String tail) {
        return PipelineParser.parse(HEAD + tail, PipelineParser.Format.YAML);
    }

    @Test
    void everyKindParsesWithItsSettingsDefaultsAndPolicy() {
        PipelineParser.Result r = parse("""
                window: { last_rows: 15000 }
                triggers:
                  - schedule: "0 3 * * MON"
                  - performance: { metric: accuracy, below: 0.85, window: 1h, min_samples: 500 }
                  - performance: { metric: rmse, above: 2.5, window: 30m, cooldown: 1h, skip_while_running: false }
                  - drift: { psi_above: 0.2, window: 1h, min_features: 2 }
                  - drift: { psi_above: 0.3, features: [f1, f2], window: 2h }
                  - data: { every: 30s }
                """);
        assertTrue(r.ok(), r.problems().toString());
        PipelineDefinition d = r.definition();
        List<TriggerSpec> t = d.triggers();
        assertEquals(List.of("schedule", "performance", "performance", "drift", "drift", "data"),
                t.stream().map(TriggerSpec::kind).toList());

        assertEquals("schedule:0 3 * * MON@UTC", t.get(0).key());
        assertEquals(Duration.ZERO, t.get(0).cooldown());
        assertTrue(t.get(0).skipWhileRunning());

        TriggerSpec.Performance acc = (TriggerSpec.Performance) t.get(1).condition();
        assertEquals(new TriggerSpec.Performance("accuracy", 0.85, null, Duration.ofHours(1), 500), acc);
        assertEquals(Duration.ofMinutes(10), t.get(1).cooldown(), "default cooldown of signal triggers");
        assertEquals("performance accuracy below 0.85 over 1h", t.get(1).describe());
        assertEquals(Map.of("metric", "accuracy", "below", 0.85, "window", "1h", "min_samples", 500L, "cooldown", "10m",
                "skip_while_running", true), t.get(1).settings());

        TriggerSpec.Performance rmse = (TriggerSpec.Performance) t.get(2).condition();
        assertEquals(2.5, rmse.above());
        assertNull(rmse.below());
        assertEquals(Duration.ofHours(1), t.get(2).cooldown());
        assertFalse(t.get(2).skipWhileRunning());
        assertEquals(100, rmse.minSamples(), "default min_samples");

        TriggerSpec.Drift any2 = (TriggerSpec.Drift) t.get(3).condition();
        assertEquals(2, any2.minFeatures());
        assertEquals(List.of(), any2.features());
        TriggerSpec.Drift named = (TriggerSpec.Drift) t.get(4).condition();
        assertEquals(List.of("f1", "f2"), named.features());
        assertEquals(1, named.minFeatures());
        assertEquals("drift PSI above 0.3 on f1, f2 over 2h", t.get(4).describe());

        assertEquals(new TriggerSpec.Data(Duration.ofSeconds(30)), t.get(5).condition());
        assertEquals(Duration.ZERO, t.get(5).cooldown());

        assertEquals(new DataWindow(15000, null, null, null), d.window());
    }

    @Test
    void theOtherWindowFormsParse() {
        assertEquals(new DataWindow(null, "t", Duration.ofDays(7), null), parse("window: { column: t, newer_than: 7d }\n")
                .definition().window());
        assertEquals(new DataWindow(null, "t", null, 15000), parse("window: { column: t, last: 15000 }\n").definition().window());
        assertNull(parse("").definition().window());
    }

    @Test
    void problemsAreReportedByPath() {
        PipelineParser.Result r = parse("""
                triggers:
                  - performance: { metric: accuracy, below: 0.85, window: soon, min_samples: 0 }
                  - performance: { metric: accuracy, below: 0.8, above: 0.9 }
                  - performance: { metric: rmse, below: 3 }
                  - performance: { metric: happiness, below: 3, cooldown: -5m }
                  - drift: { window: 1h, min_features: 3, features: [f1, f1] }
                  - drift: { psi_above: 0, treshold: 1 }
                  - data: { watch: data/churn.csv, every: 0s }
                  - data: { skip_while_running: "yes" }
                  - gut_feeling: {}
                  - schedule: "0 3 * * *"
                  - schedule: { cron: "0 3 * * *", cooldown: 1h }
                """);
        assertFalse(r.ok());
        List<String> p = r.problems();
        for (String expected : List.of(
                "triggers[0].performance.window: expected duration (like 500ms, 60s, 5m, 1h, 2d), got \"soon\"",
                "triggers[0].performance.min_samples: must be at least 1, got 0",
                "triggers[1].performance: give exactly one of below (for metrics where higher is better) or above (for error metrics)",
                "triggers[2].performance.below: rmse is an error metric (lower is better); use above",
                "triggers[3].performance.cooldown: expected duration (like 500ms, 60s, 5m, 1h, 2d), got \"-5m\"",
                "triggers[4].drift.min_features: 3 is more than the features listed (1)",
                "triggers[4].drift.psi_above: required (the PSI above which a feature counts as drifted, e.g. 0.2)",
                "triggers[4].drift.features[1]: \"f1\" is listed twice",
                "triggers[5].drift.psi_above: must be above 0, got 0",
                "triggers[5].drift.treshold: unknown key (known: cooldown, features, min_features, min_samples, psi_above, skip_while_running, window)",
                "triggers[6].data.every: must be more than zero, got \"0s\"",
                "triggers[7].data.skip_while_running: expected true or false, got \"yes\"",
                "triggers[10]: watches the same thing as triggers[9] (schedule 0 3 * * * (UTC)); merge them")) {
            assertTrue(p.contains(expected), "missing: " + expected + "\nin " + String.join("\n", p));
        }
        assertTrue(p.stream().anyMatch(x -> x.startsWith("triggers[3].performance.metric: unknown live metric \"happiness\" (known: accuracy, f1, roc_auc; error metrics: mae, rmse)")),
                String.join("\n", p));
        assertTrue(p.stream().anyMatch(x -> x.startsWith("triggers[6].data.watch: not needed")), String.join("\n", p));
        assertTrue(p.stream().anyMatch(x -> x.startsWith("triggers[8]: unknown trigger 'gut_feeling' (known: schedule, performance, drift, data")),
                String.join("\n", p));
    }

    @Test
    void signalTriggersNeedAnEndpointAndWindowsOneForm() {
        PipelineParser.Result noDeploy = PipelineParser.parse("""
                name: churn
                source: { plugin: csv }
                train: { plugin: logistic-regression }
                triggers:
                  - drift: { psi_above: 0.2 }
                """, PipelineParser.Format.YAML);
        assertTrue(noDeploy.problems().stream().anyMatch(x -> x.startsWith("triggers: a drift trigger watches the pipeline's serving endpoint")),
                noDeploy.problems().toString());

        assertTrue(parse("window: { last_rows: 10, column: t }\n").problems().get(0)
                .startsWith("window: give either last_rows, or column with one of newer_than or last"));
        assertEquals(List.of("window.last_rows: must be at least 1, got 0"), parse("window: { last_rows: 0 }\n").problems());
        assertEquals(List.of("window.newer_than: expected duration (like 500ms, 60s, 5m, 1h, 2d), got \"lately\""),
                parse("window: { column: t, newer_than: lately }\n").problems());
        assertEquals(List.of("window.rows: unknown key (known: column, last, last_rows, newer_than)"),
                parse("window: { last_rows: 5, rows: 3 }\n").problems());
    }
}
