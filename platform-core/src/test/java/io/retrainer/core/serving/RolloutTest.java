package io.retrainer.core.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.Schema;
import io.retrainer.core.PlatformFixture;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.pipeline.RunView;
import io.retrainer.core.registry.ModelStage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Blue-green rollouts through the real deploy stage, serving path and PostgreSQL. */
class RolloutTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    static PlatformFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = PlatformFixture.start();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static String pipeline(String name, String trainConfig, String deployExtra) {
        return """
                name: %s
                source: { plugin: test-threshold-data, config: { rows: 400 } }
                train: { plugin: test-threshold, config: %s }
                deploy: { plugin: test-serving, config: { endpoint: %s %s } }
                """.formatted(name, trainConfig, name, deployExtra);
    }

    /** Sends single-row requests until stopped; counts answers and failures as a client would see them. */
    static final class Traffic implements AutoCloseable {
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger byNewVersion = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread thread;

        Traffic(String endpoint, int newVersion) {
            Schema schema = new Schema(List.of(new Column("x", ColumnType.NUMERIC)), null);
            thread = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    Dataset row = Dataset.builder(schema).addRow((i++ % 100) / 100.0).build();
                    f.platform.serving().route(endpoint, null).ifPresent(r -> {
                        try {
                            InferenceResult res = f.platform.inference().infer(r, row, System.nanoTime())
                                    .toCompletionStage().toCompletableFuture().join();
                            ok.incrementAndGet();
                            if (res.model().ref().version() == newVersion) {
                                byNewVersion.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                        }
                    });
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
        }
    }

    @Test
    void aHealthyCandidateTakesOverStepByStep() throws Exception {
        String steps = ", steps: [20, 60, 100], step_interval: 700ms";
        f.save(pipeline("healthy", "{}", steps));
        assertEquals("succeeded", f.awaitRun(f.trigger("healthy"), WAIT).summary().status());
        f.save(pipeline("healthy", "{ fixed: 0.5 }", steps));
        try (Traffic traffic = new Traffic("healthy", 2)) {
            RunView run = f.awaitRun(f.trigger("healthy"), WAIT);
            assertEquals("succeeded", run.summary().status(), run.toString());
            assertTrue(traffic.byNewVersion.get() > 0, "the canary answered some requests during the steps");
            assertEquals(0, traffic.failed.get());
        }
        assertEquals(2, f.platform.serving().current("healthy").orElseThrow().version());
        RolloutStatus status = f.platform.rollouts().status("healthy").orElseThrow();
        assertEquals("completed", status.phase());
        assertEquals(100, status.percent());
        assertTrue(status.events().stream().anyMatch(e -> e.contains("gate passed at 20%")), status.events().toString());
        assertTrue(status.events().stream().anyMatch(e -> e.contains("traffic 60% to v2")), status.events().toString());
    }

    @Test
    void aFailingCandidateIsRolledBackByTheErrorGate() throws Exception {
        String steps = ", steps: [30, 100], step_interval: 1500ms";
        f.save(pipeline("failing", "{}", steps));
        assertEquals("succeeded", f.awaitRun(f.trigger("failing"), WAIT).summary().status());
        f.save(pipeline("failing", "{ broken: true }", steps));
        RunView run;
        try (Traffic traffic = new Traffic("failing", 2)) {
            run = f.awaitRun(f.trigger("failing"), WAIT);
            assertTrue(traffic.failed.get() > 0, "the broken canary did fail some requests");
        }
        assertEquals("failed", run.summary().status());
        assertTrue(run.summary().error().contains("rolled back: gate failed at 30%: error rate"), run.summary().error());
        assertEquals(1, f.platform.serving().current("failing").orElseThrow().version());
        var v2 = Db.await(f.platform.registry().version("failing", 2));
        assertEquals(ModelStage.REJECTED, v2.stage());
        assertTrue(v2.stageReason().contains("gate failed at 30%"), v2.stageReason());
        assertEquals(ModelStage.PRODUCTION, Db.await(f.platform.registry().version("failing", 1)).stage());
        assertEquals("rolled_back", f.platform.rollouts().status("failing").orElseThrow().phase());
        // After the rollback every request is answered by v1 again.
        try (Traffic after = new Traffic("failing", 2)) {
            Thread.sleep(300);
            after.close();
            assertEquals(0, after.failed.get());
            assertEquals(0, after.byNewVersion.get());
        }
    }

    @Test
    void aShadowAnswersMirroredTrafficThatClientsNeverSee() throws Exception {
        String steps = ", steps: [100], step_interval: 1s, shadow_fraction: 1.0, shadow_duration: 1500ms";
        f.save(pipeline("shadowed", "{}", steps));
        assertEquals("succeeded", f.awaitRun(f.trigger("shadowed"), WAIT).summary().status());
        // v2 disagrees with v1 on x in (0.5, 0.8]: about 30% of uniformly spread requests.
        f.save(pipeline("shadowed", "{ fixed: 0.8 }", steps));
        try (Traffic traffic = new Traffic("shadowed", 2)) {
            long run = f.trigger("shadowed");
            long deadline = System.currentTimeMillis() + 30_000;
            while (f.platform.rollouts().status("shadowed").map(s -> !s.phase().equals("shadow")).orElse(true)) {
                assertTrue(System.currentTimeMillis() < deadline, "never reached the shadow phase");
                Thread.sleep(20);
            }
            int beforeCompletion = traffic.byNewVersion.get();
            assertEquals("succeeded", f.awaitRun(run, WAIT).summary().status());
            assertEquals(0, beforeCompletion, "no client answer came from the shadow");
        }
        ShadowComparison.Agreement a = f.platform.shadows().agreement("shadowed").orElseThrow();
        assertEquals(2, a.version());
        assertTrue(a.compared() > 50, "compared " + a.compared());
        assertTrue(a.rate() > 0.55 && a.rate() < 0.85, "agreement " + a.rate());
    }

    @Test
    void operatorsCanPauseAndPromoteNow() throws Exception {
        String steps = ", steps: [10, 100], step_interval: 60s";
        f.save(pipeline("operated", "{}", steps));
        assertEquals("succeeded", f.awaitRun(f.trigger("operated"), WAIT).summary().status());
        f.save(pipeline("operated", "{ fixed: 0.4 }", steps));
        long run = f.trigger("operated");
        long deadline = System.currentTimeMillis() + 30_000;
        while (f.platform.rollouts().status("operated").map(s -> !s.phase().equals("canary")).orElse(true)) {
            assertTrue(System.currentTimeMillis() < deadline, "rollout never reached its first step");
            Thread.sleep(50);
        }
        assertEquals(10, f.platform.rollouts().command("operated", RolloutController.Command.PAUSE).percent());
        while (!f.platform.rollouts().status("operated").orElseThrow().phase().equals("paused")) {
            Thread.sleep(20);
        }
        f.platform.rollouts().command("operated", RolloutController.Command.PROMOTE);
        RunView done = f.awaitRun(run, WAIT);
        assertEquals("succeeded", done.summary().status(), done.toString());
        assertEquals(2, f.platform.serving().current("operated").orElseThrow().version());
        assertTrue(f.platform.rollouts().status("operated").orElseThrow().events().stream()
                .anyMatch(e -> e.contains("promoted by an operator at 10%")));
    }

    @Test
    void routingIsStickyPerRequestKeyAndSplitsByShare() throws Exception {
        f.save(pipeline("sticky", "{}", ""));
        assertEquals("succeeded", f.awaitRun(f.trigger("sticky"), WAIT).summary().status());
        ServedModel stable = f.platform.serving().served("sticky").orElseThrow();
        String canarySlot = f.platform.serving().startCanary("sticky", stable, 30);
        try {
            for (String key : List.of("user-1", "user-2", "user-3", "tenant-x")) {
                String first = f.platform.serving().route("sticky", key).orElseThrow().slot();
                for (int i = 0; i < 50; i++) {
                    assertEquals(first, f.platform.serving().route("sticky", key).orElseThrow().slot(), key);
                }
            }
            int toCanary = 0;
            for (int i = 0; i < 2000; i++) {
                if (f.platform.serving().route("sticky", "key-" + i).orElseThrow().slot().equals(canarySlot)) {
                    toCanary++;
                }
            }
            assertTrue(toCanary > 450 && toCanary < 750, "30% of 2000 distinct keys, got " + toCanary);
            int random = 0;
            for (int i = 0; i < 2000; i++) {
                if (f.platform.serving().route("sticky", null).orElseThrow().slot().equals(canarySlot)) {
                    random++;
                }
            }
            assertTrue(random > 450 && random < 750, "30% of 2000 keyless requests, got " + random);
        } finally {
            f.platform.serving().dropCanary("sticky");
        }
    }

    @Test
    void endpointsFollowingAnAliasRedeployWhenItMoves() throws Exception {
        f.save(pipeline("aliased", "{}", ""));
        assertEquals("succeeded", f.awaitRun(f.trigger("aliased"), WAIT).summary().status());
        f.save(pipeline("aliased", "{ fixed: 0.7 }", ""));
        assertEquals("succeeded", f.awaitRun(f.trigger("aliased"), WAIT).summary().status());
        // Production moved the champion alias along; point challenger at v1 and follow it elsewhere.
        assertEquals(2, Db.await(f.platform.aliases().resolve("aliased", "champion")));
        Db.await(f.platform.aliases().move("aliased", "challenger", 1));
        f.platform.serving().follow("aliased-shadow", "aliased", "challenger", 1);
        assertEquals(1, f.platform.serving().current("aliased-shadow").orElseThrow().version());
        Db.await(f.platform.aliases().move("aliased", "challenger", 2));
        long deadline = System.currentTimeMillis() + 20_000;
        while (f.platform.serving().current("aliased-shadow").orElseThrow().version() != 2) {
            assertTrue(System.currentTimeMillis() < deadline, "follower did not redeploy");
            Thread.sleep(50);
        }
        assertEquals(List.of("aliased-shadow"), Db.await(f.platform.serving().followers("aliased", "challenger")));
    }
}
