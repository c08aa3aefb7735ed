package io.retrainer.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineParserTest {
    @Test
    void parsesTheDesignExampleShape() {
        PipelineParser.Result r = PipelineParser.parse("""
                name: churn
                seed: 7
                source:   { plugin: csv, config: { path: data/churn.csv, label: churned } }
                validate: { max_missing_fraction: 0.1 }
                split:    { strategy: holdout, test_fraction: 0.2, seed: 42 }
                train:    { plugin: xgboost, config: { rounds: 200 } }
                evaluate:
                  - { plugin: classification-metrics }
                  - { plugin: champion-gate, config: { metric: auc } }
                deploy:   { plugin: local-serving, config: { endpoint: churn } }
                triggers:
                  - schedule: "0 3 * * MON"
                  - schedule: { cron: "*/5 * * * *", timezone: Europe/Berlin }
                """, PipelineParser.Format.YAML);
        assertTrue(r.ok(), r.problems().toString());
        PipelineDefinition d = r.definition();
        assertEquals("churn", d.model());
        assertEquals(7, d.seed());
        assertEquals(List.of("classification-metrics", "champion-gate"), d.evaluate().stream().map(StageSpec::plugin).toList());
        assertEquals("evaluate[1]", d.evaluate().get(1).path());
        assertEquals(200, d.train().config().get("rounds"));
        assertEquals(ZoneId.of("Europe/Berlin"), d.triggers().get(1).timeZone());
        assertEquals("churn", d.servingEndpoint().orElseThrow());
    }

    @Test
    void listsEveryStructuralProblemWithItsPath() {
        PipelineParser.Result r = PipelineParser.parse("""
                name: churn
                sorce: { plugin: csv }
                train: { plugin: 3, extra: 1 }
                evaluate: [ 12 ]
                triggers:
                  - schedule: "61 * * * *"
                  - schedule: { cron: "0 3 * * *", timezone: Mars/Olympus }
                  - performance: { metric: accuracy }
                """, PipelineParser.Format.YAML);
        assertFalse(r.ok());
        List<String> p = r.problems();
        assertTrue(p.stream().anyMatch(x -> x.startsWith("sorce: unknown key")), p.toString());
        assertTrue(p.contains("source: required (e.g. source: { plugin: ..., config: { ... } })"), p.toString());
        assertTrue(p.contains("train.extra: unknown key (known: plugin, config)"), p.toString());
        assertTrue(p.contains("train.plugin: expected a non-empty string, got 3"), p.toString());
        assertTrue(p.contains("evaluate[0]: expected a mapping with plugin and config, got 12"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("triggers[0].schedule: invalid cron expression \"61 * * * *\"")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("triggers[1].schedule.timezone: unknown time zone \"Mars/Olympus\"")), p.toString());
        assertTrue(p.contains("triggers[2].performance: give exactly one of below (for metrics where higher is better) or above (for error metrics)"),
                p.toString());
    }

    @Test
    void syntaxErrorsSayLineAndColumn() {
        PipelineParser.Result yaml = PipelineParser.parse("name: x\nsource: { plugin: csv\ntrain: y\n", PipelineParser.Format.YAML);
        assertEquals(1, yaml.problems().size());
        assertTrue(yaml.problems().get(0).matches("line \\d+, column \\d+: YAML syntax error: .*"), yaml.problems().toString());
        PipelineParser.Result json = PipelineParser.parse("{\"name\": \"x\",}", PipelineParser.Format.JSON);
        assertTrue(json.problems().get(0).startsWith("line 1, column 14: JSON syntax error"), json.problems().toString());
        PipelineParser.Result list = PipelineParser.parse("- a\n- b\n", PipelineParser.Format.YAML);
        assertTrue(list.problems().get(0).startsWith("the document must be a mapping"), list.problems().toString());
    }
}
