package io.retrainer.plugins.dtree;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.SettingType;
import io.retrainer.api.Settings;
import io.retrainer.api.StageContext;
import io.retrainer.api.Task;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.Trainer;
import io.retrainer.plugins.tribuo.ArtifactCodec;
import io.retrainer.plugins.tribuo.FeatureEncoder;
import io.retrainer.plugins.tribuo.PluginClassLoader;
import io.retrainer.plugins.tribuo.TaskArtifact;
import io.retrainer.plugins.tribuo.TrainingChecks;
import io.retrainer.plugins.tribuo.TrainingSet;
import io.retrainer.plugins.tribuo.TribuoPredictor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.pf4j.Extension;
import org.tribuo.Model;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;

/**
 * Trains one CART decision tree with Tribuo: a classification tree (Gini impurity, leaves give
 * class proportions as probabilities) for a categorical label, a regression tree (squared error,
 * leaves give the mean) for a numeric one. See {@link FeatureEncoder} for how columns become
 * features; a missing number goes down the branch of the training mean.
 */
@Extension
public final class DecisionTreeTrainer implements Trainer {
    static final String ID = "decision-tree";
    /** The stored model format, {@value #FORMAT}: see {@link TaskArtifact}. */
    static final String FORMAT = "tribuo-decision-tree";
    static final ArtifactCodec CODEC = new ArtifactCodec(FORMAT);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "CART decision tree (classification or regression, by the label's type) with Tribuo.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("max_depth", SettingType.INTEGER, 4, "Deepest level of the tree; 0 means no limit.")
                .optional("min_child_weight", SettingType.NUMBER, 30.0,
                        "Fewest training rows a leaf may hold (every row weighs 1): larger values give smoother, smaller trees.")
                .optional("min_impurity_decrease", SettingType.NUMBER, 0.0,
                        "A split must lower the impurity by at least this much.")
                .optional("feature_fraction", SettingType.NUMBER, 1.0,
                        "Fraction of the features considered at each split, drawn with the run's seed; 1 considers all.")
                .build();
    }

    @Override
    public TrainedModel train(Dataset training, StageContext context) throws Exception {
        return PluginClassLoader.call(() -> trainWithPluginLoader(training, context));
    }

    private TrainedModel trainWithPluginLoader(Dataset training, StageContext context) throws Exception {
        Hyper hyper = Hyper.from(context.settings());
        context.progress(0.0, "encoding " + training.rowCount() + " rows");
        TrainingSet set = TrainingSet.of(training, ID, context.log());
        checkCancelled(context);

        context.progress(0.1, "growing a " + set.task().name().toLowerCase(Locale.ROOT) + " tree on " + set.rows() + " rows");
        // Tribuo grows the tree in one call, so cancellation is honoured before and after it only.
        Model<?> model = set.task() == Task.CLASSIFICATION
                ? new CARTClassificationTrainer(hyper.tribuoDepth(), hyper.minChildWeight(), hyper.minImpurityDecrease(),
                        hyper.featureFraction(), false, new GiniIndex(), context.seed()).train(set.classification())
                : new CARTRegressionTrainer(hyper.tribuoDepth(), hyper.minChildWeight(), hyper.minImpurityDecrease(),
                        hyper.featureFraction(), false, new MeanSquaredError(), context.seed()).train(set.regression());
        checkCancelled(context);

        TaskArtifact artifact = new TaskArtifact(set.task(), set.encoder(), model);
        TribuoPredictor predictor = new TribuoPredictor(artifact);
        context.log().info("grew a " + set.task().name().toLowerCase(Locale.ROOT) + " tree on " + set.rows()
                + " rows, " + model.getFeatureIDMap().size() + " features"
                + (set.task() == Task.CLASSIFICATION ? ", classes " + predictor.classes() : ""));
        context.progress(1.0, "trained");
        return new TrainedModel(artifact.toBytes(CODEC), FORMAT, hyper.describe(set.task(), context.seed()), predictor);
    }

    private static void checkCancelled(StageContext context) {
        TrainingChecks.checkCancelled(context, ID);
    }

    /** The settings, checked. */
    private record Hyper(long maxDepth, float minChildWeight, float minImpurityDecrease, float featureFraction) {
        static Hyper from(Settings s) {
            Hyper h = new Hyper(s.integer("max_depth"), (float) s.number("min_child_weight"),
                    (float) s.number("min_impurity_decrease"), (float) s.number("feature_fraction"));
            require(h.maxDepth >= 0 && h.maxDepth <= Integer.MAX_VALUE, "max_depth must be at least 0 (0: no limit)");
            require(h.minChildWeight > 0, "min_child_weight must be positive");
            require(h.minImpurityDecrease >= 0, "min_impurity_decrease must be at least 0");
            require(h.featureFraction > 0 && h.featureFraction <= 1, "feature_fraction must be above 0 and at most 1");
            return h;
        }

        private static void require(boolean ok, String problem) {
            TrainingChecks.require(ok, ID, problem);
        }

        int tribuoDepth() {
            return maxDepth == 0 ? Integer.MAX_VALUE : (int) maxDepth;
        }

        Map<String, String> describe(Task task, long seed) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("task", task.name().toLowerCase(Locale.ROOT));
            m.put("max_depth", Long.toString(maxDepth));
            m.put("min_child_weight", Float.toString(minChildWeight));
            m.put("min_impurity_decrease", Float.toString(minImpurityDecrease));
            m.put("feature_fraction", Float.toString(featureFraction));
            m.put("impurity", task == Task.CLASSIFICATION ? "gini" : "mse");
            m.put("seed", Long.toString(seed));
            return m;
        }
    }
}
