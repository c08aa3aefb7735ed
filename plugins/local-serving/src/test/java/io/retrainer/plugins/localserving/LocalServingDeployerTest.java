package io.retrainer.plugins.localserving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.DeploymentResult;
import io.retrainer.api.ModelRef;
import io.retrainer.api.RolloutOutcome;
import io.retrainer.api.RolloutPlan;
import io.retrainer.api.ServingRuntime;
import io.retrainer.api.testing.TestStageContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalServingDeployerTest {
    private final LocalServingDeployer deployer = new LocalServingDeployer();
    private final RecordingRuntime runtime = new RecordingRuntime();
    private final ModelRef v1 = new ModelRef("churn", 1, "tribuo-logistic-regression", "aa", null);
    private final ModelRef v2 = new ModelRef("churn", 2, "tribuo-logistic-regression", "bb", null);

    /** Stands in for the host's serving runtime and records what it was asked to do. */
    private static final class RecordingRuntime implements ServingRuntime {
        final List<String> calls = new ArrayList<>();
        final Map<String, ModelRef> serving = new HashMap<>();

        @Override
        public void activate(String endpoint, ModelRef model) {
            calls.add(endpoint + "=" + model);
            serving.put(endpoint, model);
        }

        @Override
        public Optional<ModelRef> current(String endpoint) {
            return Optional.ofNullable(serving.get(endpoint));
        }
    }

    private TestStageContext context(String endpoint) {
        return TestStageContext.of(deployer.configSpec(), Map.of("endpoint", endpoint))
                .withService(ServingRuntime.class, runtime);
    }

    @Test
    void deployActivatesTheModelAtTheEndpoint() throws Exception {
        DeploymentResult result = deployer.deploy(v2, context("churn-eu"));

        assertEquals(List.of("churn-eu=churn v2"), runtime.calls);
        assertEquals("churn-eu", result.target());
        assertTrue(result.message().startsWith("churn v2 now serves at /serving/churn-eu/invocations"), result.message());
    }

    @Test
    void stepsBecomeARolloutPlanAndARollbackFailsTheStageWithTheReason() {
        List<RolloutPlan> plans = new ArrayList<>();
        ServingRuntime gated = new ServingRuntime() {
            @Override
            public void activate(String endpoint, ModelRef model) {
                throw new AssertionError("a stepped rollout must not activate at once");
            }

            @Override
            public Optional<ModelRef> current(String endpoint) {
                return Optional.of(v1);
            }

            @Override
            public RolloutOutcome rollout(String endpoint, ModelRef model, RolloutPlan plan,
                                          java.util.function.BiConsumer<Double, String> progress,
                                          java.util.function.BooleanSupplier cancelled) {
                plans.add(plan);
                return new RolloutOutcome(false, "gate failed at 10%: error rate 0.2 vs 0.0");
            }
        };
        TestStageContext ctx = TestStageContext.of(deployer.configSpec(), Map.of("endpoint", "churn", "steps", List.of(10, 50, 100),
                "step_interval", "5s", "quality_metric", "accuracy", "shadow_fraction", 0.25, "shadow_duration", "30s"))
                .withService(ServingRuntime.class, gated);
        Exception e = assertThrows(IllegalStateException.class, () -> deployer.deploy(v2, ctx));
        assertEquals("rolled back: gate failed at 10%: error rate 0.2 vs 0.0", e.getMessage());
        RolloutPlan plan = plans.get(0);
        assertEquals(List.of(10, 50, 100), plan.steps());
        assertEquals(java.time.Duration.ofSeconds(5), plan.stepInterval());
        assertEquals("accuracy", plan.qualityMetric());
        assertEquals(0.25, plan.shadowFraction());
        assertEquals(java.time.Duration.ofSeconds(30), plan.shadowDuration());
    }

    @Test
    void stepsThatDoNotEndAtHundredAreRefused() {
        TestStageContext ctx = TestStageContext.of(deployer.configSpec(), Map.of("endpoint", "churn", "steps", List.of(10, 50)))
                .withService(ServingRuntime.class, runtime);
        Exception e = assertThrows(IllegalArgumentException.class, () -> deployer.deploy(v2, ctx));
        assertEquals("local-serving: rollout steps must end at 100, got [10, 50]", e.getMessage());
        assertTrue(runtime.calls.isEmpty());
    }

    @Test
    void rollbackActivatesThePreviousVersion() throws Exception {
        TestStageContext context = context("churn");
        deployer.deploy(v2, context);
        deployer.rollback(v1, context);

        assertEquals(List.of("churn=churn v2", "churn=churn v1"), runtime.calls);
        assertEquals(v1, runtime.current("churn").orElseThrow());
    }

    @Test
    void invalidEndpointIsRefusedBeforeTouchingTheRuntime() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> deployer.deploy(v1, context("Churn_EU")));

        assertTrue(e.getMessage().contains("'Churn_EU'"), e.getMessage());
        assertTrue(e.getMessage().contains("[a-z0-9][a-z0-9-]*"), e.getMessage());
        assertTrue(runtime.calls.isEmpty());
    }

    @Test
    void missingServingRuntimeFailsClearly() {
        TestStageContext bare = TestStageContext.of(deployer.configSpec(), Map.of("endpoint", "churn"));

        Exception e = assertThrows(IllegalStateException.class, () -> deployer.deploy(v1, bare));
        assertTrue(e.getMessage().contains("serving runtime"), e.getMessage());
    }

    @Test
    void endpointIsRequiredBySpec() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> TestStageContext.of(deployer.configSpec(), Map.of()));
        assertTrue(e.getMessage().contains("endpoint"), e.getMessage());
    }
}
