package io.retrainer.plugins.localserving;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Deployer;
import io.retrainer.api.DeploymentResult;
import io.retrainer.api.ModelRef;
import io.retrainer.api.RolloutOutcome;
import io.retrainer.api.RolloutPlan;
import io.retrainer.api.ServingRuntime;
import io.retrainer.api.SettingType;
import io.retrainer.api.StageContext;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/**
 * Deploys a model version to the platform's own serving runtime, where it answers at
 * {@code /serving/<endpoint>/invocations}: at once by default, or blue-green with traffic
 * {@code steps}, a health gate before each step and automatic rollback. A rolled-back deployment
 * fails the stage with the gate's reason, so the run and the model version record why.
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
                .optional("steps", SettingType.NUMBER_LIST, List.of(100),
                        "Traffic percentages for the new version, one per step_interval, ending at 100 (e.g. [10, 50, 100]); [100] swaps at once")
                .optional("step_interval", SettingType.DURATION, "60s", "How long each traffic step lasts before its health gate")
                .optional("max_error_rate_increase", SettingType.NUMBER, 0.01,
                        "Roll back if the new version's error rate exceeds the old one's by more than this (0.01 = 1 point)")
                .optional("max_p99_latency_ratio", SettingType.NUMBER, 2.0,
                        "Roll back if the new version's p99 latency exceeds the old one's times this")
                .choice("quality_metric", null, List.of("accuracy", "f1", "roc_auc", "mae", "rmse"),
                        "Live metric from fed-back labels to compare the versions on (none: no quality gate)")
                .optional("max_quality_drop", SettingType.NUMBER, 0.02,
                        "Roll back if the new version's live quality is lower than the old one's by more than this")
                .optional("min_labelled", SettingType.INTEGER, 100,
                        "Labelled predictions each version needs in a step before quality is compared")
                .optional("shadow_fraction", SettingType.NUMBER, 0.0,
                        "Before the first step, mirror this fraction of traffic to the new version (answers logged, never returned)")
                .optional("shadow_duration", SettingType.DURATION, "0s", "How long the shadow phase lasts")
                .build();
    }

    @Override
    public DeploymentResult deploy(ModelRef model, StageContext context) throws Exception {
        String endpoint = endpoint(context);
        RolloutPlan plan = plan(context);
        RolloutOutcome outcome = runtime(context).rollout(endpoint, model, plan, (fraction, message) -> {
            context.progress(fraction, message);
            context.log().info(message);
        }, context::isCancelled);
        if (!outcome.completed()) {
            throw new IllegalStateException("rolled back: " + outcome.reason());
        }
        String message = model + " now serves at /serving/" + endpoint + "/invocations (" + outcome.reason() + ")";
        context.log().info(message);
        return new DeploymentResult(endpoint, message);
    }

    static RolloutPlan plan(StageContext context) {
        var s = context.settings();
        List<Integer> steps = new ArrayList<>();
        for (Object step : s.<Object>list("steps")) {
            double v = ((Number) step).doubleValue();
            if (v != Math.rint(v)) {
                throw new IllegalArgumentException(ID + ": steps must be whole percentages, got " + v);
            }
            steps.add((int) v);
        }
        try {
            return new RolloutPlan(steps, s.duration("step_interval"), s.number("max_error_rate_increase"),
                    s.number("max_p99_latency_ratio"), s.string("quality_metric").orElse(null), s.number("max_quality_drop"),
                    (int) s.integer("min_labelled"), s.number("shadow_fraction"), s.duration("shadow_duration"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ID + ": " + e.getMessage(), e);
        }
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
