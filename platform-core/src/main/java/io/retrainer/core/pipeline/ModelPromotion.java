package io.retrainer.core.pipeline;

import io.retrainer.api.Deployer;
import io.retrainer.api.ServingRuntime;
import io.retrainer.api.Settings;
import io.retrainer.api.StageContext;
import io.retrainer.api.StageLog;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.plugins.ExtensionKind;
import io.retrainer.core.plugins.LoadedExtension;
import io.retrainer.core.plugins.PluginHost;
import io.retrainer.core.registry.ModelRegistry;
import io.retrainer.core.registry.ModelStage;
import io.retrainer.core.registry.ModelVersionView;
import io.retrainer.core.serving.ServingService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator makes a version production again (a rollback) or ahead of the gate: it is
 * redeployed through the producing pipeline's current deployer, then marked production.
 */
public final class ModelPromotion {
    private static final Logger LOG = LoggerFactory.getLogger(ModelPromotion.class);

    private final ModelRegistry registry;
    private final PipelineService pipelines;
    private final PluginHost plugins;
    private final ServingService serving;

    /** Promotion over these services. */
    public ModelPromotion(ModelRegistry registry, PipelineService pipelines, PluginHost plugins, ServingService serving) {
        this.registry = registry;
        this.pipelines = pipelines;
        this.plugins = plugins;
        this.serving = serving;
    }

    /**
     * Deploys and promotes {@code model} v{@code version}. Blocking: call from a worker thread.
     *
     * @return the promoted version
     */
    public ModelVersionView promote(String model, int version) throws Exception {
        ModelVersionView v = Db.await(registry.version(model, version));
        String previous = v.stage().label();
        PipelineDefinition def = v.pipeline() == null ? null : Db.await(pipelines.get(v.pipeline())).definition();
        String where = "";
        if (def != null && def.deploy() != null) {
            LoadedExtension<Deployer> deployer = plugins.<Deployer>find(ExtensionKind.DEPLOYER, def.deploy().plugin())
                    .orElseThrow(() -> new IllegalStateException("deployer '" + def.deploy().plugin() + "' of pipeline "
                            + def.name() + " is not loaded"));
            Settings settings = deployer.extension().configSpec().resolve(def.deploy().config(), "deploy.config");
            var result = deployer.call(() -> deployer.extension().deploy(v.ref(), new OperatorContext(settings, serving,
                    registry.artifactSource())));
            where = result == null ? "" : " to " + result.target();
        }
        ModelVersionView promoted = Db.await(registry.setStage(model, version, ModelStage.PRODUCTION,
                "promoted by an operator (was " + previous + ")"));
        LOG.info("{} v{} promoted by an operator (was {}){}", model, version, previous, where);
        return promoted;
    }

    /** A stage context for a deployment outside any run: logs go to the platform log. */
    private static final class OperatorContext implements StageContext {
        private final Settings settings;
        private final ServingService serving;
        private final io.retrainer.api.ArtifactSource artifacts;
        private Path scratch;

        OperatorContext(Settings settings, ServingService serving, io.retrainer.api.ArtifactSource artifacts) {
            this.settings = settings;
            this.serving = serving;
            this.artifacts = artifacts;
        }

        @Override
        public Settings settings() {
            return settings;
        }

        @Override
        public StageLog log() {
            return new StageLog() {
                @Override
                public void info(String message) {
                    LOG.info("promotion: {}", message);
                }

                @Override
                public void warn(String message) {
                    LOG.warn("promotion: {}", message);
                }

                @Override
                public void error(String message) {
                    LOG.error("promotion: {}", message);
                }
            };
        }

        @Override
        public void progress(double fraction, String message) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public long seed() {
            return 42;
        }

        @Override
        public Random random() {
            return new Random(42);
        }

        @Override
        public synchronized Path scratchDir() {
            if (scratch == null) {
                try {
                    scratch = Files.createTempDirectory("retrainer-promotion");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return scratch;
        }

        @Override
        public <T> Optional<T> hostService(Class<T> type) {
            if (type == ServingRuntime.class) {
                return Optional.of(type.cast(serving));
            }
            return type == io.retrainer.api.ArtifactSource.class ? Optional.of(type.cast(artifacts)) : Optional.empty();
        }
    }
}
