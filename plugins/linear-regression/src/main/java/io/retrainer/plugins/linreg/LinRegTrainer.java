package io.retrainer.plugins.linreg;

import io.retrainer.api.ColumnType;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.StageContext;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.Trainer;
import io.retrainer.plugins.tribuo.FeatureEncoder;
import io.retrainer.plugins.tribuo.PluginClassLoader;
import io.retrainer.plugins.tribuo.SgdSettings;
import io.retrainer.plugins.tribuo.TrainingChecks;
import io.retrainer.plugins.tribuo.TrainingSet;
import java.util.stream.IntStream;
import org.pf4j.Extension;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
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
        return SgdSettings.configSpec(50,
                "Scale numeric columns and the target to mean 0 and standard deviation 1 (training statistics); predictions are scaled back.");
    }

    @Override
    public TrainedModel train(Dataset training, StageContext context) throws Exception {
        return PluginClassLoader.call(() -> trainWithPluginLoader(training, context));
    }

    private TrainedModel trainWithPluginLoader(Dataset training, StageContext context) throws Exception {
        SgdSettings hyper = SgdSettings.from(context.settings(), ID);
        int label = TrainingChecks.requireLabel(training, ID, ColumnType.NUMERIC);
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
        MutableDataset<Regressor> examples = TrainingSet.newDataset(new RegressionFactory());
        for (int r : rows) {
            double y = (training.number(label, r) - target[0]) / target[1];
            examples.add(bound.example(training, r, new Regressor(TrainingSet.TARGET, y)));
        }
        TrainingChecks.checkCancelled(context, ID);

        context.progress(0.1, "training " + hyper.epochs() + " epochs on " + rows.length + " rows");
        LinearSGDTrainer trainer = new LinearSGDTrainer(new SquaredLoss(), hyper.optimiser(), (int) hyper.epochs(),
                SgdSettings.NO_TRIBUO_LOGGING, (int) hyper.minibatchSize(), context.seed());
        // Tribuo trains all epochs in one call, so cancellation is honoured before and after it only.
        Model<Regressor> model = trainer.train(examples);
        TrainingChecks.checkCancelled(context, ID);

        ModelArtifact artifact = new ModelArtifact(encoder, target[0], target[1], model);
        context.log().info("trained linear regression on " + rows.length + " rows, " + model.getFeatureIDMap().size() + " features");
        context.progress(1.0, "trained");
        return new TrainedModel(artifact.toBytes(), ModelArtifact.FORMAT, hyper.describe("squared", context.seed()), new LinRegPredictor(artifact));
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
}
