package io.retrainer.core.testplugins;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Deployer;
import io.retrainer.api.DeploymentResult;
import io.retrainer.api.ModelRef;
import io.retrainer.api.ServingRuntime;
import io.retrainer.api.SettingType;
import io.retrainer.api.StageContext;
import org.pf4j.Extension;

/** Engine-test deployer: activates the model on the host's serving runtime. */
@Extension
public class ServingDeployer implements Deployer {
    @Override
    public String id() {
        return "test-serving";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder().required("endpoint", SettingType.STRING, "endpoint")
                .optional("steps", SettingType.NUMBER_LIST, java.util.List.of(100), "traffic steps")
                .optional("step_interval", SettingType.DURATION, "1s", "step length")
                .optional("shadow_fraction", SettingType.NUMBER, 0.0, "mirrored share before the steps")
                .optional("shadow_duration", SettingType.DURATION, "0s", "shadow phase length")
                .build();
    }

    @Override
    public DeploymentResult deploy(ModelRef model, StageContext ctx) throws Exception {
        String endpoint = ctx.settings().requireString("endpoint");
        java.util.List<Integer> steps = ctx.settings().<Number>list("steps").stream().map(Number::intValue).toList();
        io.retrainer.api.RolloutPlan plan = new io.retrainer.api.RolloutPlan(steps, ctx.settings().duration("step_interval"),
                0.05, 5.0, null, 1.0, 1, ctx.settings().number("shadow_fraction"), ctx.settings().duration("shadow_duration"));
        io.retrainer.api.RolloutOutcome o = ctx.hostService(ServingRuntime.class).orElseThrow()
                .rollout(endpoint, model, plan, (p, m) -> ctx.log().info(m), ctx::isCancelled);
        if (!o.completed()) {
            throw new IllegalStateException("rolled back: " + o.reason());
        }
        return new DeploymentResult(endpoint, model + " serves at " + endpoint);
    }

    @Override
    public void rollback(ModelRef previous, StageContext ctx) throws Exception {
        ctx.hostService(ServingRuntime.class).orElseThrow().activate(ctx.settings().requireString("endpoint"), previous);
    }
}
