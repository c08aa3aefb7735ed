package io.retrainer.plugins.logreg;

import io.retrainer.api.ColumnType;
import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.StageContext;
import io.retrainer.api.Task;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.Trainer;
import io.retrainer.plugins.tribuo.FeatureEncoder;
import io.retrainer.plugins.tribuo.PluginClassLoader;
import io.retrainer.plugins.tribuo.SgdSettings;
import io.retrainer.plugins.tribuo.TrainingChecks;
import io.retrainer.plugins.tribuo.TrainingSet;
import io.retrainer.plugins.tribuo.TribuoPredictor;
import java.util.stream.IntStream;
import org.pf4j.Extension;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;

/**
 * Trains a multinomial logistic regression (softmax over a linear model) with Tribuo's SGD,
 * AdaGrad step sizes and optional L2 weight decay, for binary and multiclass labels. See
 * {@link FeatureEncoder} for how columns become features.
 */
@Extension
public final class LogRegTrainer implements Trainer {
    static final String ID = "logistic-regression";

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
        return SgdSettings.configSpec(30,
                "Scale numeric columns to mean 0 and standard deviation 1 (using training statistics).");
    }

    @Override
    public TrainedModel train(Dataset training, StageContext context) throws Exception {
        return PluginClassLoader.call(() -> trainWithPluginLoader(training, context));
    }

    private TrainedModel trainWithPluginLoader(Dataset training, StageContext context) throws Exception {
        SgdSettings hyper = SgdSettings.from(context.settings(), ID);
        int label = TrainingChecks.requireLabel(training, ID, ColumnType.CATEGORICAL);
        int[] rows = IntStream.range(0, training.rowCount()).filter(r -> training.string(label, r) != null).toArray();
        if (rows.length < training.rowCount()) {
            context.log().warn((training.rowCount() - rows.length) + " rows have no label and are not used");
        }
        TrainingChecks.requireTwoClasses(training, label, rows, ID);

        context.progress(0.0, "encoding " + rows.length + " rows");
        FeatureEncoder encoder = FeatureEncoder.fit(training, rows, hyper.standardize(), ID, context.log());
        FeatureEncoder.Bound bound = encoder.bind(training.schema());
        MutableDataset<Label> examples = TrainingSet.newDataset(new LabelFactory());
        for (int r : rows) {
            examples.add(bound.example(training, r, new Label(training.string(label, r))));
        }
        TrainingChecks.checkCancelled(context, ID);

        context.progress(0.1, "training " + hyper.epochs() + " epochs on " + rows.length + " rows");
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), hyper.optimiser(), (int) hyper.epochs(),
                SgdSettings.NO_TRIBUO_LOGGING, (int) hyper.minibatchSize(), context.seed());
        // Tribuo trains all epochs in one call, so cancellation is honoured before and after it only.
        Model<Label> model = trainer.train(examples);
        TrainingChecks.checkCancelled(context, ID);

        ModelArtifact artifact = new ModelArtifact(encoder, model);
        TribuoPredictor predictor = new TribuoPredictor(Task.CLASSIFICATION, encoder, model);
        context.log().info("trained logistic regression on " + rows.length + " rows, " + model.getFeatureIDMap().size()
                + " features, classes " + predictor.classes());
        context.progress(1.0, "trained");
        return new TrainedModel(artifact.toBytes(), ModelArtifact.FORMAT, hyper.describe("log_multiclass", context.seed()),
                predictor);
    }
}
