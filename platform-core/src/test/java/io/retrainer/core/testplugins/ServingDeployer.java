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
        return ConfigSpec.builder().required("endpoint", SettingType.STRING, "endpoint").build();
    }

    @Override
    public DeploymentResult deploy(ModelRef model, StageContext ctx) throws Exception {
        String endpoint = ctx.settings().requireString("endpoint");
        ctx.hostService(ServingRuntime.class).orElseThrow().activate(endpoint, model);
        return new DeploymentResult(endpoint, model + " serves at " + endpoint);
    }

    @Override
    public void rollback(ModelRef previous, StageContext ctx) throws Exception {
        ctx.hostService(ServingRuntime.class).orElseThrow().activate(ctx.settings().requireString("endpoint"), previous);
    }
}
