package io.retrainer.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.ConflictException;
import io.retrainer.core.InvalidInputException;
import io.retrainer.core.PlatformFixture;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.persistence.TestDatabases;
import io.retrainer.core.registry.ModelStage;
import io.retrainer.core.registry.ModelVersionView;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The executor on a real PostgreSQL with test extensions from the class path. */
class RunEngineTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static PlatformFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = PlatformFixture.start();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static String pipeline(String name, String sourceConfig, String trainConfig) {
        return """
                name: %s
                source: { plugin: test-threshold-data, config: %s }
                validate: { max_missing_fraction: 0.1 }
                split: { test_fraction: 0.25 }
                train: { plugin: test-threshold, config: %s }
                evaluate:
                  - plugin: test-accuracy-gate
                deploy: { plugin: test-serving, config: { endpoint: %s } }
                """.formatted(name, sourceConfig, trainConfig, name);
    }

    @Test
    void runsEveryStageRegistersDeploysAndGatesTheNextCandidate() throws Exception {
        f.save(pipeline("loop", "{ rows: 400, threshold: 0.3 }", "{}"));
        RunView first = f.awaitRun(f.trigger("loop"), WAIT);
        assertEquals("succeeded", first.summary().status(), first.toString());
        assertEquals(List.of("source", "validate", "split", "train", "evaluate", "register", "deploy"),
                first.stages().stream().map(StageView::name).toList());
        assertTrue(first.stages().stream().allMatch(s -> s.status().equals("succeeded") && s.started() != null && s.finished() != null));
        assertEquals(400, ((Number) first.stages().get(0).metrics().get("rows")).intValue());
        assertEquals(100, ((Number) first.stages().get(2).metrics().get("holdout_rows")).intValue());
        assertTrue(first.stages().get(0).log().contains("generating"), first.stages().get(0).log());
        assertEquals("promote", first.summary().verdict());
        assertEquals(1, first.summary().modelVersion());

        ModelVersionView v1 = Db.await(f.platform.registry().version("loop", 1));
        assertEquals(ModelStage.PRODUCTION, v1.stage());
        assertEquals(1, ((Map<?, ?>) v1.lineage().get("pipeline")).get("revision"));
        assertTrue(((Map<?, ?>) v1.lineage().get("dataset")).get("fingerprint").toString().startsWith("test-"));
        assertEquals("test-threshold", ((Map<?, ?>) ((Map<?, ?>) v1.lineage().get("plugins")).get("train")).get("id"));
        assertEquals(1, f.platform.serving().current("loop").orElseThrow().version());

        // A worse candidate (fixed wrong threshold) is rejected: registered as rejected, not deployed.
        f.save(pipeline("loop", "{ rows: 400, threshold: 0.3 }", "{ fixed: 0.9 }"));
        RunView second = f.awaitRun(f.trigger("loop"), WAIT);
        assertEquals("succeeded", second.summary().status());
        assertEquals(2, second.summary().revision());
        assertEquals("reject", second.summary().verdict());
        assertTrue(second.summary().verdictReason().contains("< champion"), second.summary().verdictReason());
        assertEquals("skipped", second.stages().get(6).status());
        assertEquals(ModelStage.REJECTED, Db.await(f.platform.registry().version("loop", 2)).stage());
        assertEquals(1, f.platform.serving().current("loop").orElseThrow().version());

        // Rollback path: promoting the rejected version deploys it and archives v1.
        f.platform.promotion().promote("loop", 2);
        assertEquals(2, f.platform.serving().current("loop").orElseThrow().version());
        assertEquals(ModelStage.ARCHIVED, Db.await(f.platform.registry().version("loop", 1)).stage());
    }

    @Test
    void failingSourceFailsTheRunWithThePluginMessageAndSkipsTheRest() throws Exception {
        f.save(pipeline("broken", "{ fail: \"bucket s3://x not found\" }", "{}"));
        RunView run = f.awaitRun(f.trigger("broken"), WAIT);
        assertEquals("failed", run.summary().status());
        assertEquals("stage source (test-threshold-data) failed: bucket s3://x not found", run.summary().error());
        assertEquals("failed", run.stages().get(0).status());
        assertTrue(run.stages().subList(1, run.stages().size()).stream().allMatch(s -> s.status().equals("skipped")));
    }

    @Test
    void validationStopsBadDataBeforeTrainingWithAReport() throws Exception {
        f.save(pipeline("holes", "{ missing_fraction: 0.5 }", "{}"));
        RunView run = f.awaitRun(f.trigger("holes"), WAIT);
        assertEquals("failed", run.summary().status());
        StageView validate = run.stages().get(1);
        assertEquals("failed", validate.status());
        assertTrue(validate.error().contains("column 'x' is"), validate.error());
        assertTrue(validate.log().contains("missing (limit 10.0%"), validate.log());
        assertEquals("skipped", run.stages().get(3).status());
    }

    @Test
    void schemaChangeAgainstProductionIsReported() throws Exception {
        f.save(pipeline("schema", "{}", "{}"));
        assertEquals("succeeded", f.awaitRun(f.trigger("schema"), WAIT).summary().status());
        f.save(pipeline("schema", "{ extra_column: true }", "{}"));
        RunView run = f.awaitRun(f.trigger("schema"), WAIT);
        assertEquals("failed", run.summary().status());
        assertTrue(run.stages().get(1).error().contains("column 'z' (numeric) is new"), run.stages().get(1).error());
    }

    @Test
    void secondTriggerQueuesBehindTheRunningOneAndCancelReachesThePlugin() throws Exception {
        f.save(pipeline("slow", "{}", "{ wait_for_cancel: true }"));
        long first = f.trigger("slow");
        long second = f.trigger("slow");
        f.awaitStatus(first, "running", WAIT);
        Thread.sleep(300);
        assertEquals("queued", Db.await(f.platform.runs().get(second)).summary().status());
        Db.await(f.platform.runs().cancel(first));
        RunView cancelled = f.awaitRun(first, WAIT);
        assertEquals("cancelled", cancelled.summary().status());
        assertEquals("cancelled", cancelled.stages().get(3).status());
        // The queued run starts after the first ended; cancel it while queued.
        Db.await(f.platform.runs().cancel(second));
        assertEquals("cancelled", f.awaitRun(second, WAIT).summary().status());
        assertThrows(ConflictException.class, () -> Db.await(f.platform.runs().cancel(second)));
    }

    @Test
    void runsOfDifferentPipelinesProceedInParallel() throws Exception {
        f.save(pipeline("par-a", "{ hang_ms: 1500 }", "{}"));
        f.save(pipeline("par-b", "{ hang_ms: 1500 }", "{}"));
        long a = f.trigger("par-a");
        long b = f.trigger("par-b");
        RunView ra = f.awaitRun(a, WAIT);
        RunView rb = f.awaitRun(b, WAIT);
        assertEquals("succeeded", ra.summary().status());
        assertEquals("succeeded", rb.summary().status());
        assertTrue(rb.summary().started().isBefore(ra.summary().finished()), "b started while a ran");
    }

    @Test
    void hangingStageTimesOutAndThePlatformGoesOn() throws Exception {
        try (PlatformFixture shortTimeout = PlatformFixture.start(TestDatabases.create(),
                Files.createTempDirectory("plugins"), Duration.ofMillis(700))) {
            shortTimeout.save(pipeline("hang", "{ hang_ms: 5000 }", "{}"));
            RunView run = shortTimeout.awaitRun(shortTimeout.trigger("hang"), WAIT);
            assertEquals("failed", run.summary().status());
            assertTrue(run.summary().error().contains("timed out after 0.7 s"), run.summary().error());
            shortTimeout.save(pipeline("quick", "{}", "{}"));
            assertEquals("succeeded", shortTimeout.awaitRun(shortTimeout.trigger("quick"), WAIT).summary().status());
        }
    }

    @Test
    void invalidDefinitionsAreRefusedWithEveryProblem() {
        String yaml = """
                name: Bad Name
                source: { plugin: nope }
                train: { plugin: test-threshold, config: { fixed: "high" } }
                split: { test_fraction: "a lot" }
                """;
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> f.save(yaml));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("name: \"Bad Name\" must be")), e.problems().toString());
        yaml.length();
        String valid = yaml.replace("Bad Name", "ok");
        InvalidInputException e2 = assertThrows(InvalidInputException.class, () -> f.save(valid));
        assertTrue(e2.problems().contains("train.config.fixed: expected number, got \"high\""), e2.problems().toString());
        assertTrue(e2.problems().contains("split.test_fraction: expected number, got \"a lot\""), e2.problems().toString());
        assertTrue(e2.problems().stream().anyMatch(p -> p.startsWith("source.plugin: no data-source called 'nope' is loaded (available: ")),
                e2.problems().toString());
    }

    @Test
    void savingTheSameDocumentTwiceKeepsOneRevision() {
        String yaml = pipeline("same", "{}", "{}");
        assertEquals(1, f.save(yaml).revision());
        assertEquals(1, f.save(yaml).revision());
        assertEquals(2, f.save(yaml + "\n# changed\n").revision());
        assertEquals(2, Db.await(f.platform.pipelines().revisions("same")).size());
    }

    @Test
    void runsLeftRunningByACrashAreMarkedInterruptedAtTheNextStart() throws Exception {
        try (PlatformFixture crash = PlatformFixture.start()) {
            crash.save(pipeline("crash", "{}", "{ wait_for_cancel: true }"));
            long id = crash.trigger("crash");
            crash.awaitStatus(id, "running", WAIT);
            // A crash leaves the rows saying running; a graceful stop would have ended the run.
            crash.stop();
            TestDatabases.execute(crash.dbUrl, "update run set status = 'running', error = null, finished_at = null where id = " + id);
            TestDatabases.execute(crash.dbUrl, "update stage_run set status = 'running' where run_id = " + id + " and position = 3");
            TestDatabases.execute(crash.dbUrl, "update stage_run set status = 'pending' where run_id = " + id + " and position > 3");
            crash.startAgain();
            RunView run = Db.await(crash.platform.runs().get(id));
            assertEquals("failed", run.summary().status());
            assertEquals("interrupted", run.summary().error());
            assertFalse(run.stages().stream().anyMatch(s -> s.status().equals("running") || s.status().equals("pending")));
            assertEquals("interrupted", run.stages().get(3).error());
            assertNotNull(run.summary().finished());
        }
    }
}
