package io.retrainer.plugins.localserving;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Deployer;
import io.retrainer.api.DeploymentResult;
import io.retrainer.api.ModelRef;
import io.retrainer.api.ServingRuntime;
import io.retrainer.api.SettingType;
import io.retrainer.api.StageContext;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/**
 * Deploys a model version to the platform's own serving runtime, where it answers at
 * {@code /serving/<endpoint>/invocations}.
 *
 * <p>It keeps no state of its own: which version serves where is the runtime's business, so a
 * rollback is simply activating the previous version again.
 */
@Extension
public final class LocalServingDeployer implements Deployer {
    static final String ID = "local-serving";
    private static final Pattern ENDPOINT = Pattern.compile("[a-z0-9][a-z0-9-]*");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Serves the model from this platform at /serving/<endpoint>/invocations.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("endpoint", SettingType.STRING,
                        "Endpoint name in the serving URL: lower-case letters, digits and dashes, starting with a letter or digit.")
                .build();
    }

    @Override
    public DeploymentResult deploy(ModelRef model, StageContext context) throws Exception {
        String endpoint = endpoint(context);
        runtime(context).activate(endpoint, model);
        String message = model + " now serves at /serving/" + endpoint + "/invocations";
        context.log().info(message);
        return new DeploymentResult(endpoint, message);
    }

    @Override
    public void rollback(ModelRef previous, StageContext context) throws Exception {
        String endpoint = endpoint(context);
        runtime(context).activate(endpoint, previous);
        context.log().info("rolled back: " + previous + " serves at /serving/" + endpoint + "/invocations again");
    }

    private static String endpoint(StageContext context) {
        String endpoint = context.settings().requireString("endpoint");
        // Validated here as well as by the host because the name becomes part of a URL path.
        if (!ENDPOINT.matcher(endpoint).matches()) {
            throw new IllegalArgumentException(ID + ": endpoint '" + endpoint + "' is not a valid name: use lower-case "
                    + "letters, digits and dashes, starting with a letter or digit (pattern [a-z0-9][a-z0-9-]*)");
        }
        return endpoint;
    }

    private static ServingRuntime runtime(StageContext context) {
        return context.hostService(ServingRuntime.class).orElseThrow(() -> new IllegalStateException(
                ID + ": the host offers no serving runtime to this stage; local-serving can only run as a deploy stage"));
    }
}
