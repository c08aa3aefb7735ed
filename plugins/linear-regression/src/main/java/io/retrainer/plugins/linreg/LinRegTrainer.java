package io.retrainer.plugins.linreg;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.SettingType;
import io.retrainer.api.Settings;
import io.retrainer.api.StageContext;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.Trainer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import org.pf4j.Extension;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * Trains a linear regression (squared loss) with Tribuo's SGD, AdaGrad step sizes and optional
 * L2 weight decay. With {@code standardize} the target is scaled like the numeric columns: SGD
 * with a bounded step size would otherwise need thousands of epochs to reach an intercept in the
 * hundreds. See {@link FeatureEncoder} for how columns become features.
 */
@Extension
public final class LinRegTrainer implements Trainer {
    static final String ID = "linear-regression";
    /** Tribuo logs every this many steps through java.util.logging; -1 turns that off. */
    private static final int NO_TRIBUO_LOGGING = -1;
    /** The name of the single output dimension inside the Tribuo model. */
    static final String TARGET = "target";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Linear regression (squared loss) trained by SGD with Tribuo.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("epochs", SettingType.INTEGER, 50, "Passes over the training data.")
                .optional("learning_rate", SettingType.NUMBER, 0.1, "Initial AdaGrad step size.")
                .optional("l2", SettingType.NUMBER, 1e-4,
                        "L2 penalty, applied as weight decay: each step shrinks the weights by learning_rate × l2; 0 turns it off.")
                .optional("standardize", SettingType.BOOLEAN, true,
                        "Scale numeric columns and the target to mean 0 and standard deviation 1 (training statistics); predictions are scaled back.")
                .optional("minibatch_size", SettingType.INTEGER, 1, "Rows per gradient step.")
                .build();
    }

    @Override
    public TrainedModel train(Dataset training, StageContext context) throws Exception {
        return PluginClassLoader.call(() -> trainWithPluginLoader(training, context));
    }

    private TrainedModel trainWithPluginLoader(Dataset training, StageContext context) throws Exception {
        Hyper hyper = Hyper.from(context.settings());
        int label = requireNumericLabel(training);
        int[] rows = IntStream.range(0, training.rowCount()).filter(r -> !Double.isNaN(training.number(label, r))).toArray();
        if (rows.length < training.rowCount()) {
            context.log().warn((training.rowCount() - rows.length) + " rows have no target value and are not used");
        }
        if (rows.length < 2) {
            throw new IllegalArgumentException(ID + " needs at least 2 rows with a target value; found " + rows.length);
        }

        context.progress(0.0, "encoding " + rows.length + " rows");
        FeatureEncoder encoder = FeatureEncoder.fit(training, rows, hyper.standardize(), ID, context.log());
        double[] target = targetScaling(training, label, rows, hyper.standardize());
        FeatureEncoder.Bound bound = encoder.bind(training.schema());
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> examples = new MutableDataset<>(new SimpleDataSourceProvenance("retrainer training set", factory), factory);
        for (int r : rows) {
            double y = (training.number(label, r) - target[0]) / target[1];
            examples.add(bound.example(training, r, new Regressor(TARGET, y)));
        }
        checkCancelled(context);

        context.progress(0.1, "training " + hyper.epochs() + " epochs on " + rows.length + " rows");
        LinearSGDTrainer trainer = new LinearSGDTrainer(new SquaredLoss(), hyper.optimiser(), (int) hyper.epochs(),
                NO_TRIBUO_LOGGING, (int) hyper.minibatchSize(), context.seed());
        // Tribuo trains all epochs in one call, so cancellation is honoured before and after it only.
        Model<Regressor> model = trainer.train(examples);
        checkCancelled(context);

        ModelArtifact artifact = new ModelArtifact(encoder, target[0], target[1], model);
        context.log().info("trained linear regression on " + rows.length + " rows, " + model.getFeatureIDMap().size() + " features");
        context.progress(1.0, "trained");
        return new TrainedModel(artifact.toBytes(), ModelArtifact.FORMAT, hyper.describe(context.seed()), new LinRegPredictor(artifact));
    }

    /** The target's mean and standard deviation when standardising, else 0 and 1. */
    private static double[] targetScaling(Dataset training, int label, int[] rows, boolean standardize) {
        if (!standardize) {
            return new double[] {0, 1};
        }
        double sum = 0;
        for (int r : rows) {
            sum += training.number(label, r);
        }
        double mean = sum / rows.length;
        double squares = 0;
        for (int r : rows) {
            double d = training.number(label, r) - mean;
            squares += d * d;
        }
        double std = Math.sqrt(squares / rows.length);
        return new double[] {mean, std > 0 ? std : 1};
    }

    private static int requireNumericLabel(Dataset training) {
        String name = training.schema().label();
        if (name == null) {
            throw new IllegalArgumentException(ID + " needs a label column; the training data has none");
        }
        Column label = training.schema().column(name).orElseThrow();
        if (label.type() != ColumnType.NUMERIC) {
            throw new IllegalArgumentException(ID + " needs a numeric label; '" + name + "' is "
                    + label.type().name().toLowerCase(Locale.ROOT)
                    + (label.type() == ColumnType.CATEGORICAL ? " — use a classification trainer" : ""));
        }
        return training.labelIndex();
    }

    private static void checkCancelled(StageContext context) {
        if (context.isCancelled()) {
            throw new CancellationException(ID + ": training was cancelled");
        }
    }

    /** The settings, checked, and what they make of Tribuo's optimiser. */
    private record Hyper(long epochs, double learningRate, double l2, boolean standardize, long minibatchSize) {
        static Hyper from(Settings s) {
            Hyper h = new Hyper(s.integer("epochs"), s.number("learning_rate"), s.number("l2"), s.bool("standardize"),
                    s.integer("minibatch_size"));
            require(h.epochs >= 1 && h.epochs <= Integer.MAX_VALUE, "epochs must be at least 1");
            require(h.learningRate > 0, "learning_rate must be positive");
            require(h.l2 >= 0 && h.learningRate * h.l2 < 1, "l2 must be at least 0 and learning_rate × l2 below 1");
            require(h.minibatchSize >= 1 && h.minibatchSize <= Integer.MAX_VALUE, "minibatch_size must be at least 1");
            return h;
        }

        private static void require(boolean ok, String problem) {
            if (!ok) {
                throw new IllegalArgumentException(ID + ": " + problem);
            }
        }

        StochasticGradientOptimiser optimiser() {
            AdaGrad adaGrad = new AdaGrad(learningRate);
            return l2 == 0 ? adaGrad : new WeightDecay(adaGrad, learningRate, l2);
        }

        Map<String, String> describe(long seed) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("epochs", Long.toString(epochs));
            m.put("learning_rate", Double.toString(learningRate));
            m.put("l2", Double.toString(l2));
            m.put("standardize", Boolean.toString(standardize));
            m.put("minibatch_size", Long.toString(minibatchSize));
            m.put("optimiser", "adagrad");
            m.put("loss", "squared");
            m.put("seed", Long.toString(seed));
            return m;
        }
    }
}
