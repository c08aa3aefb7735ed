package io.retrainer.core.plugins;

import io.retrainer.api.DataSource;
import io.retrainer.api.Deployer;
import io.retrainer.api.Evaluator;
import io.retrainer.api.ModelLoader;
import io.retrainer.api.RetrainerExtension;
import io.retrainer.api.Trainer;
import java.util.List;

/** The extension points of the SPI, with the names used in the API and the console. */
public enum ExtensionKind {
    DATA_SOURCE("data-source", DataSource.class),
    TRAINER("trainer", Trainer.class),
    MODEL_LOADER("model-loader", ModelLoader.class),
    EVALUATOR("evaluator", Evaluator.class),
    DEPLOYER("deployer", Deployer.class);

    private final String label;
    private final Class<? extends RetrainerExtension> type;

    ExtensionKind(String label, Class<? extends RetrainerExtension> type) {
        this.label = label;
        this.type = type;
    }

    /** The kind's name in JSON and in messages, e.g. {@code data-source}. */
    public String label() {
        return label;
    }

    /** The extension point interface. */
    public Class<? extends RetrainerExtension> type() {
        return type;
    }

    /** The kinds an extension object implements (one class may implement several, e.g. trainer and loader). */
    public static List<ExtensionKind> of(Object extension) {
        return java.util.Arrays.stream(values()).filter(k -> k.type.isInstance(extension)).toList();
    }
}
