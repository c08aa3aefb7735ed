package io.retrainer.plugins.webhook;

import io.retrainer.api.ArtifactSource;
import io.retrainer.api.Column;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Deployer;
import io.retrainer.api.DeploymentResult;
import io.retrainer.api.ModelRef;
import io.retrainer.api.SettingType;
import io.retrainer.api.StageContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.pf4j.Extension;

/**
 * Tells another system, such as a CI/CD job, that a model version is ready: POSTs a JSON event
 * (model, version, format, artifact SHA-256, input schema, time, and the version's metrics and
 * lineage when the host offers them) signed with HMAC-SHA256 in {@code X-Retrainer-Signature}.
 * A rollback sends a {@code model_rollback} event for the version that should serve again.
 *
 * <p>The deployment succeeds once the receiver answers 2xx; it keeps no state, so deploying the
 * same version again sends the event again (with a new delivery id).
 */
@Extension
public final class WebhookDeployer implements Deployer {
    static final String ID = "webhook";
    static final String READY = "model_ready";
    static final String ROLLBACK = "model_rollback";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "POSTs a signed JSON \"model ready\" event to a URL, with retries and exponential backoff.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("url", SettingType.STRING, "http:// or https:// URL the event is POSTed to.")
                .optional("secret", SettingType.STRING, null,
                        "Key for the HMAC-SHA256 body signature in X-Retrainer-Signature: sha256=<hex>; prefer secret_env.")
                .optional("secret_env", SettingType.STRING, null, "Name of an environment variable holding the secret.")
                .optional("max_attempts", SettingType.INTEGER, 5, "Attempts in all before the deployment fails.")
                .optional("initial_backoff", SettingType.DURATION, "1s", "Wait after the first failed attempt; doubles after each further one.")
                .optional("max_backoff", SettingType.DURATION, "30s", "Longest wait between attempts.")
                .optional("timeout", SettingType.DURATION, "10s", "How long one attempt may take, connecting included.")
                .build();
    }

    @Override
    public DeploymentResult deploy(ModelRef model, StageContext context) throws Exception {
        return deliver(READY, model, context);
    }

    @Override
    public void rollback(ModelRef previous, StageContext context) throws Exception {
        deliver(ROLLBACK, previous, context);
    }

    private DeploymentResult deliver(String event, ModelRef model, StageContext context) throws Exception {
        WebhookOptions options = WebhookOptions.from(context.settings());
        if (options.secret() == null) {
            context.log().warn("no secret or secret_env: the event is sent unsigned, so the receiver cannot tell it came from here");
        }
        String deliveryId = UUID.randomUUID().toString();
        String body = Json.write(event(event, deliveryId, model, Instant.now(), context));
        Delivery.Outcome outcome = new Delivery(options, context).send(event, deliveryId, body);
        String message = event + " event for " + model + " delivered to " + options.shownUrl() + " (HTTP " + outcome.status()
                + ", attempt " + outcome.attempts() + " of " + options.maxAttempts() + ")";
        context.log().info(message);
        return new DeploymentResult(options.shownUrl(), message);
    }

    /** The event document; field names are snake_case like the REST API's. */
    static Map<String, Object> event(String event, String deliveryId, ModelRef model, Instant now, StageContext context) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event", event);
        e.put("delivery_id", deliveryId);
        e.put("timestamp", now.toString());
        e.put("model", model.model());
        e.put("version", model.version());
        e.put("format", model.format());
        e.put("sha256", model.artifactSha256());
        List<Map<String, Object>> columns = new ArrayList<>();
        if (model.inputSchema() != null) {
            for (Column c : model.inputSchema().columns()) {
                Map<String, Object> col = new LinkedHashMap<>();
                col.put("name", c.name());
                col.put("type", c.type().name().toLowerCase(Locale.ROOT));
                columns.add(col);
            }
        }
        e.put("input_schema", columns);
        Optional<ArtifactSource> registry = context.hostService(ArtifactSource.class);
        if (registry.isPresent()) {
            Map<String, Object> meta;
            try {
                meta = registry.get().metadata(model);
            } catch (RuntimeException ex) {
                // The event is still worth sending without them; say why they are missing.
                context.log().warn("metrics and lineage of " + model + " are not in the event: " + ex.getMessage());
                meta = Map.of();
            }
            for (String key : List.of("pipeline", "run_id", "created", "metrics", "lineage")) {
                if (meta.containsKey(key)) {
                    e.put(key, meta.get(key));
                }
            }
        }
        return e;
    }
}
