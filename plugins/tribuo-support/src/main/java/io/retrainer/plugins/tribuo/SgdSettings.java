package io.retrainer.plugins.tribuo;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.SettingType;
import io.retrainer.api.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * The settings of the linear SGD trainers (logistic and linear regression), checked, and what they
 * make of Tribuo's optimiser: AdaGrad, followed by {@link WeightDecay} unless {@code l2} is 0.
 *
 * @param epochs passes over the training data
 * @param learningRate the initial AdaGrad step size
 * @param l2 the L2 penalty, applied as weight decay
 * @param standardize whether numeric columns (and, for regression, the target) are standardised
 * @param minibatchSize rows per gradient step
 */
public record SgdSettings(long epochs, double learningRate, double l2, boolean standardize, long minibatchSize) {
    /** Tribuo logs every this many steps through java.util.logging; -1 turns that off. */
    public static final int NO_TRIBUO_LOGGING = -1;

    /**
     * The trainers' settings.
     *
     * @param defaultEpochs the default of {@code epochs}
     * @param standardizeHelp what {@code standardize} does in this trainer
     */
    public static ConfigSpec configSpec(int defaultEpochs, String standardizeHelp) {
        return ConfigSpec.builder()
                .optional("epochs", SettingType.INTEGER, defaultEpochs, "Passes over the training data.")
                .optional("learning_rate", SettingType.NUMBER, 0.1, "Initial AdaGrad step size.")
                .optional("l2", SettingType.NUMBER, 1e-4,
                        "L2 penalty, applied as weight decay: each step shrinks the weights by learning_rate × l2; 0 turns it off.")
                .optional("standardize", SettingType.BOOLEAN, true, standardizeHelp)
                .optional("minibatch_size", SettingType.INTEGER, 1, "Rows per gradient step.")
                .build();
    }

    /**
     * The resolved settings of {@link #configSpec}, checked.
     *
     * @throws IllegalArgumentException {@code "<plugin>: <problem>"} for a value out of range
     */
    public static SgdSettings from(Settings s, String plugin) {
        SgdSettings h = new SgdSettings(s.integer("epochs"), s.number("learning_rate"), s.number("l2"), s.bool("standardize"),
                s.integer("minibatch_size"));
        TrainingChecks.require(h.epochs >= 1 && h.epochs <= Integer.MAX_VALUE, plugin, "epochs must be at least 1");
        TrainingChecks.require(h.learningRate > 0, plugin, "learning_rate must be positive");
        TrainingChecks.require(h.l2 >= 0 && h.learningRate * h.l2 < 1, plugin,
                "l2 must be at least 0 and learning_rate × l2 below 1");
        TrainingChecks.require(h.minibatchSize >= 1 && h.minibatchSize <= Integer.MAX_VALUE, plugin,
                "minibatch_size must be at least 1");
        return h;
    }

    /** A new optimiser for one training run. */
    public StochasticGradientOptimiser optimiser() {
        AdaGrad adaGrad = new AdaGrad(learningRate);
        return l2 == 0 ? adaGrad : new WeightDecay(adaGrad, learningRate, l2);
    }

    /** The hyper-parameters recorded with the model. */
    public Map<String, String> describe(String loss, long seed) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("epochs", Long.toString(epochs));
        m.put("learning_rate", Double.toString(learningRate));
        m.put("l2", Double.toString(l2));
        m.put("standardize", Boolean.toString(standardize));
        m.put("minibatch_size", Long.toString(minibatchSize));
        m.put("optimiser", "adagrad");
        m.put("loss", loss);
        m.put("seed", Long.toString(seed));
        return m;
    }
}
