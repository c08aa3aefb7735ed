package io.retrainer.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.retrainer.api.Dataset;
import io.retrainer.api.EvaluationInput;
import io.retrainer.api.Metrics;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.testing.TestStageContext;
import io.retrainer.core.PlatformFixture;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.persistence.TestDatabases;
import io.retrainer.core.pipeline.RunView;
import io.retrainer.core.pipeline.StageView;
import io.retrainer.core.testplugins.AccuracyGate;
import io.retrainer.core.testplugins.ThresholdSource;
import io.retrainer.core.testplugins.ThresholdTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Orchestration overhead per stage: the engine's cost of running one stage whose plugin does
 * (almost) nothing. Not a test - it prints numbers and asserts only that the runs succeed.
 * Excluded from the normal build by its tag; run it with {@code bench/orchestration.sh} or
 * <pre>
 * mvn -B -o -pl platform-core test -Dgroups=benchmark -DexcludedGroups= -Dtest=OrchestrationBenchmark
 * </pre>
 *
 * <p>The pipeline is {@code test-threshold-data} (40 generated rows) - validate - split (10
 * holdout rows) - {@code test-threshold} - N x {@code test-accuracy-gate} - register -
 * {@code test-serving}. Each evaluate stage scores candidate and champion on 10 rows, a few
 * microseconds of plugin work, so nearly all of an evaluate stage is the engine's bookkeeping.
 *
 * <p>Per-stage overhead is measured on the evaluate stages 2..N: start-to-start time from one
 * evaluate stage to the next (the stage's own bookkeeping plus the hand-over to the next one),
 * minus the plugin's compute time measured in-process. Stage 1 is left out because it loads the
 * production model. As a cross-check, the marginal cost per stage is also computed from the
 * run wall times of an N-evaluate and a 1-evaluate pipeline: (wall(N) - wall(1)) / (N - 1).
 *
 * <p>System properties: {@code bench.db} (external,embedded), {@code bench.evalStages} (40),
 * {@code bench.warmup} (3), {@code bench.runs} (10).
 */
@Tag("benchmark")
class OrchestrationBenchmark {
    private static final int EVAL_STAGES = Integer.getInteger("bench.evalStages", 40);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 3);
    private static final int RUNS = Integer.getInteger("bench.runs", 10);
    private static final String DBS = System.getProperty("bench.db", "external,embedded");
    private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled");

    /** One database's numbers. */
    private record Result(String db, int stagesPerRun, int runs, double pluginMicros, List<Double> cyclesMs,
                          List<Double> inStageMs, List<Double> betweenMs, List<Double> wallN, List<Double> wall1,
                          List<Double> queueMs, int stagesPerRun1, double cpuMsPerExtraStage) {
    }

    @Test
    void orchestrationOverheadPerStage() throws Exception {
        double pluginMicros = pluginComputeMicros();
        List<Result> results = new ArrayList<>();
        for (String db : DBS.split(",")) {
            if (!db.isBlank()) {
                results.add(measure(db.trim(), pluginMicros));
            }
        }
        print(results);
    }

    private static String pipeline(String name, int evaluateStages) {
        StringBuilder sb = new StringBuilder();
        sb.append("name: ").append(name).append('\n')
                .append("source: { plugin: test-threshold-data, config: { rows: 40, threshold: 0.4 } }\n")
                .append("validate: { max_missing_fraction: 0.1 }\n")
                .append("split: { test_fraction: 0.25 }\n")
                .append("train: { plugin: test-threshold }\n")
                .append("evaluate:\n");
        for (int i = 0; i < evaluateStages; i++) {
            sb.append("  - plugin: test-accuracy-gate\n");
        }
        sb.append("deploy: { plugin: test-serving, config: { endpoint: ").append(name).append(" } }\n");
        return sb.toString();
    }

    private static Result measure(String db, double pluginMicros) throws Exception {
        String url = switch (db) {
            case "external" -> TestDatabases.create();
            case "embedded" -> null;
            default -> throw new IllegalArgumentException("bench.db: external or embedded, not " + db);
        };
        Path pluginsDir = Files.createTempDirectory("bench-plugins");
        PlatformFixture f = PlatformFixture.start(url, pluginsDir, Duration.ofMinutes(5));
        try {
            f.save(pipeline("bench-n", EVAL_STAGES));
            f.save(pipeline("bench-1", 1));
            for (int i = 0; i < WARMUP; i++) {
                run(f, "bench-n");
                run(f, "bench-1");
            }
            List<Double> cycles = new ArrayList<>();
            List<Double> inStage = new ArrayList<>();
            List<Double> between = new ArrayList<>();
            List<Double> wallN = new ArrayList<>();
            List<Double> wall1 = new ArrayList<>();
            List<Double> queue = new ArrayList<>();
            int stagesN = 0;
            int stages1 = 0;
            double cpuN = 0;
            double cpu1 = 0;
            for (int i = 0; i < RUNS; i++) {
                long c0 = processCpuNanos();
                RunView v = run(f, "bench-n");
                cpuN += processCpuNanos() - c0;
                stagesN = v.stages().size();
                wallN.add(ms(v.summary().started(), v.summary().finished()));
                queue.add(ms(v.summary().created(), v.summary().started()));
                List<StageView> st = v.stages();
                int firstEval = -1;
                for (int k = 0; k < st.size(); k++) {
                    if (st.get(k).name().equals("evaluate")) {
                        firstEval = firstEval < 0 ? k : firstEval;
                    }
                }
                for (int k = firstEval + 1; k + 1 < st.size() && st.get(k + 1).name().equals("evaluate"); k++) {
                    StageView a = st.get(k);
                    StageView b = st.get(k + 1);
                    cycles.add(ms(a.started(), b.started()) - pluginMicros / 1000.0);
                    inStage.add(ms(a.started(), a.finished()));
                    between.add(ms(a.finished(), b.started()));
                }
                long c1 = processCpuNanos();
                RunView one = run(f, "bench-1");
                cpu1 += processCpuNanos() - c1;
                stages1 = one.stages().size();
                wall1.add(ms(one.summary().started(), one.summary().finished()));
                queue.add(ms(one.summary().created(), one.summary().started()));
            }
            double cpuPerStage = (cpuN - cpu1) / 1e6 / RUNS / (EVAL_STAGES - 1);
            return new Result(db, stagesN, RUNS, pluginMicros, cycles, inStage, between, wallN, wall1, queue, stages1, cpuPerStage);
        } finally {
            f.close();
            if (url == null) {
                deleteTree(f.dataDir);
            }
            deleteTree(pluginsDir);
        }
    }

    /** CPU time of this JVM (all threads: engine, Vert.x, polling; not the PostgreSQL server). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Triggers a run and waits for it; polls every 250 ms so the waiting adds little load. */
    private static RunView run(PlatformFixture f, String pipeline) throws InterruptedException {
        long id = f.trigger(pipeline);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            Thread.sleep(250);
            RunView v = Db.await(f.platform.runs().get(id));
            if (FINAL.contains(v.summary().status())) {
                assertEquals("succeeded", v.summary().status(), v.toString());
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + id + " of " + pipeline + " did not end within 5 min");
            }
        }
    }

    /** The accuracy gate's own time per call (candidate and champion on 10 rows), warmed up, in microseconds. */
    private static double pluginComputeMicros() throws Exception {
        ThresholdSource source = new ThresholdSource();
        Dataset train = source.load(TestStageContext.of(source.configSpec(), Map.of("rows", 30, "threshold", 0.4)));
        Dataset holdout = source.load(TestStageContext.of(source.configSpec(), Map.of("rows", 10, "threshold", 0.4)));
        ThresholdTrainer trainer = new ThresholdTrainer();
        TestStageContext ctx = TestStageContext.of(trainer.configSpec(), Map.of());
        TrainedModel model = trainer.train(train, ctx);
        AccuracyGate gate = new AccuracyGate();
        TestStageContext gateCtx = TestStageContext.of(gate.configSpec(), Map.of());
        EvaluationInput in = new EvaluationInput(holdout, model.predictor(), Optional.of(model.predictor()), Metrics.empty(),
                Metrics.empty());
        int n = 50_000;
        long sink = 0;
        for (int i = 0; i < n; i++) {
            sink += gate.evaluate(in, gateCtx).candidate().values().size();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += gate.evaluate(in, gateCtx).candidate().values().size();
        }
        double micros = (System.nanoTime() - t0) / 1e3 / n;
        if (sink == 42) {
            System.out.println();
        }
        return micros;
    }

    private static void print(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append("\n=== Orchestration overhead per stage (").append(EVAL_STAGES).append(" evaluate stages, ")
                .append(WARMUP).append(" warm-up + ").append(RUNS).append(" measured runs per pipeline) ===\n");
        out.append(String.format(Locale.ROOT, "java %s, %d cores, max heap %d MB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20));
        if (!results.isEmpty()) {
            out.append(String.format(Locale.ROOT, "plugin compute per evaluate call (in-process, warmed): %.1f us%n",
                    results.get(0).pluginMicros()));
        }
        String fmt = "%-9s | %7s | %10s %8s %8s %8s | %9s %9s | %10s %10s | %12s | %11s | %8s | %9s%n";
        out.append(String.format(Locale.ROOT, fmt, "database", "samples", "overhead", "p10", "p90", "max", "in-stage",
                "between", "wall N", "wall 1", "(N-1) slope", "wall/stages", "queue", "JVM CPU"));
        out.append(String.format(Locale.ROOT, fmt, "", "", "median ms", "ms", "ms", "ms", "median ms", "median ms",
                "median ms", "median ms", "ms/stage", "ms/stage", "median ms", "ms/stage"));
        for (Result r : results) {
            double wallN = median(r.wallN());
            double wall1 = median(r.wall1());
            out.append(String.format(Locale.ROOT, fmt, r.db(), r.cyclesMs().size(),
                    f2(median(r.cyclesMs())), f2(pct(r.cyclesMs(), 10)), f2(pct(r.cyclesMs(), 90)), f2(Collections.max(r.cyclesMs())),
                    f2(median(r.inStageMs())), f2(median(r.betweenMs())),
                    f1(wallN), f1(wall1), f2((wallN - wall1) / (EVAL_STAGES - 1)), f2(wallN / r.stagesPerRun()),
                    f1(median(r.queueMs())), f2(r.cpuMsPerExtraStage())));
        }
        out.append(String.format(Locale.ROOT, "stages per run: N pipeline %d, 1 pipeline %d%n",
                results.isEmpty() ? 0 : results.get(0).stagesPerRun(), results.isEmpty() ? 0 : results.get(0).stagesPerRun1()));
        out.append("overhead = start-to-start of consecutive evaluate stages 2..N minus plugin compute; in-stage = finished - started;\n")
                .append("between = next started - finished; slope = (wall N - wall 1)/(N - 1); queue = run started - run created;\n")
                .append("JVM CPU = (process CPU during N runs - during 1 runs)/(N - 1)/runs, excludes the PostgreSQL server's CPU\n");
        System.out.println(out);
    }

    private static double ms(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1e6;
    }

    private static double median(List<Double> xs) {
        return pct(xs, 50);
    }

    /** Percentile by linear interpolation between closest ranks. */
    private static double pct(List<Double> xs, double p) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        double rank = p / 100.0 * (s.size() - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return s.get(lo) + (s.get(hi) - s.get(lo)) * (rank - lo);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp directory left behind is harmless
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
