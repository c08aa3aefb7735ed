package io.retrainer.plugins.logreg;

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
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import org.pf4j.Extension;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains a multinomial logistic regression (softmax over a linear model) with Tribuo's SGD,
 * AdaGrad step sizes and optional L2 weight decay, for binary and multiclass labels. See
 * {@link FeatureEncoder} for how columns become features.
 */
@Extension
public final class LogRegTrainer implements Trainer {
    static final String ID = "logistic-regression";
    /** Tribuo logs every this many steps through java.util.logging; -1 turns that off. */
    private static final int NO_TRIBUO_LOGGING = -1;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Logistic regression (binary or multiclass) trained by SGD with Tribuo.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("epochs", SettingType.INTEGER, 30, "Passes over the training data.")
                .optional("learning_rate", SettingType.NUMBER, 0.1, "Initial AdaGrad step size.")
                .optional("l2", SettingType.NUMBER, 1e-4,
                        "L2 penalty, applied as weight decay: each step shrinks the weights by learning_rate × l2; 0 turns it off.")
                .optional("standardize", SettingType.BOOLEAN, true,
                        "Scale numeric columns to mean 0 and standard deviation 1 (using training statistics).")
                .optional("minibatch_size", SettingType.INTEGER, 1, "Rows per gradient step.")
                .build();
    }

    @Override
    public TrainedModel train(Dataset training, StageContext context) throws Exception {
        return PluginClassLoader.call(() -> trainWithPluginLoader(training, context));
    }

    private TrainedModel trainWithPluginLoader(Dataset training, StageContext context) throws Exception {
        Hyper hyper = Hyper.from(context.settings());
        int label = requireCategoricalLabel(training);
        int[] rows = IntStream.range(0, training.rowCount()).filter(r -> training.string(label, r) != null).toArray();
        if (rows.length < training.rowCount()) {
            context.log().warn((training.rowCount() - rows.length) + " rows have no label and are not used");
        }
        requireTwoClasses(training, label, rows);

        context.progress(0.0, "encoding " + rows.length + " rows");
        FeatureEncoder encoder = FeatureEncoder.fit(training, rows, hyper.standardize(), context.log());
        FeatureEncoder.Bound bound = encoder.bind(training.schema());
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> examples = new MutableDataset<>(new SimpleDataSourceProvenance("retrainer training set", labels), labels);
        for (int r : rows) {
            examples.add(bound.example(training, r, new Label(training.string(label, r))));
        }
        checkCancelled(context);

        context.progress(0.1, "training " + hyper.epochs() + " epochs on " + rows.length + " rows");
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), hyper.optimiser(), (int) hyper.epochs(),
                NO_TRIBUO_LOGGING, (int) hyper.minibatchSize(), context.seed());
        // Tribuo trains all epochs in one call, so cancellation is honoured before and after it only.
        Model<Label> model = trainer.train(examples);
        checkCancelled(context);

        ModelArtifact artifact = new ModelArtifact(encoder, model);
        LogRegPredictor predictor = new LogRegPredictor(artifact);
        context.log().info("trained logistic regression on " + rows.length + " rows, " + model.getFeatureIDMap().size()
                + " features, classes " + predictor.classes());
        context.progress(1.0, "trained");
        return new TrainedModel(artifact.toBytes(), ModelArtifact.FORMAT, hyper.describe(context.seed()), predictor);
    }

    private static int requireCategoricalLabel(Dataset training) {
        String name = training.schema().label();
        if (name == null) {
            throw new IllegalArgumentException(ID + " needs a label column; the training data has none");
        }
        Column label = training.schema().column(name).orElseThrow();
        if (label.type() != ColumnType.CATEGORICAL) {
            throw new IllegalArgumentException(ID + " needs a categorical label; '" + name + "' is "
                    + label.type().name().toLowerCase(Locale.ROOT) + (label.type() == ColumnType.NUMERIC ? " — use a regression trainer" : ""));
        }
        return training.labelIndex();
    }

    private static void requireTwoClasses(Dataset training, int label, int[] rows) {
        TreeSet<String> classes = new TreeSet<>();
        for (int r : rows) {
            classes.add(training.string(label, r));
            if (classes.size() > 1) {
                return;
            }
        }
        throw new IllegalArgumentException(ID + " needs at least two classes to tell apart; label '"
                + training.schema().label() + "' has " + (classes.isEmpty() ? "no values" : "only " + classes));
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
            m.put("loss", "log_multiclass");
            m.put("seed", Long.toString(seed));
            return m;
        }
    }
}
