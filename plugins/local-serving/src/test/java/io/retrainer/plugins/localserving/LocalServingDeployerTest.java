package io.retrainer.plugins.localserving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.DeploymentResult;
import io.retrainer.api.ModelRef;
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
        assertEquals("churn v2 now serves at /serving/churn-eu/invocations", result.message());
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
