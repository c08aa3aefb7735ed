package io.retrainer.plugins.forest;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Dataset;
import io.retrainer.api.SettingType;
import io.retrainer.api.Settings;
import io.retrainer.api.StageContext;
import io.retrainer.api.Task;
import io.retrainer.api.TrainedModel;
import io.retrainer.api.Trainer;
import io.retrainer.plugins.tribuo.ArtifactCodec;
import io.retrainer.plugins.tribuo.PluginClassLoader;
import io.retrainer.plugins.tribuo.TaskArtifact;
import io.retrainer.plugins.tribuo.TrainingChecks;
import io.retrainer.plugins.tribuo.TrainingSet;
import io.retrainer.plugins.tribuo.TribuoPredictor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;
import org.pf4j.Extension;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.dataset.DatasetView;
import org.tribuo.ensemble.EnsembleCombiner;
import org.tribuo.ensemble.WeightedEnsembleModel;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;

/**
 * Trains a random forest of Tribuo CART trees: each tree on a bootstrap sample of the rows (unless
 * {@code bootstrap} is off) and choosing each split among a random fraction of the features.
 * Classification forests average the trees' class probabilities; regression forests average
 * their predictions.
 *
 * <p>The trees are grown here one by one rather than by Tribuo's {@code RandomForestTrainer},
 * which always bootstraps and trains all trees in one call: growing them here lets
 * {@code bootstrap} be switched off, reports progress per tree and stops between trees when the
 * run is cancelled. The bootstrap views keep the full data set's feature and class domains, so a
 * class missing from one sample does not make the trees disagree about the classes.
 */
@Extension
public final class RandomForestTrainer implements Trainer {
    static final String ID = "random-forest";
    /** The stored model format, {@value #FORMAT}: see {@link TaskArtifact}. */
    static final String FORMAT = "tribuo-random-forest";
    static final ArtifactCodec CODEC = new ArtifactCodec(FORMAT);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Random forest of CART trees (classification or regression, by the label's type) with Tribuo.";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional("trees", SettingType.INTEGER, 100, "Number of trees, at least 2.")
                .optional("max_depth", SettingType.INTEGER, 0, "Deepest level of each tree; 0 means no limit.")
                .optional("min_child_weight", SettingType.NUMBER, 2.0,
                        "Fewest training rows a leaf may hold (every row weighs 1; a row drawn twice by the bootstrap weighs 2).")
                .optional("feature_fraction", SettingType.NUMBER, null,
                        "Fraction of the features considered at each split; by default √features / features for classification, 1/3 for regression.")
                .optional("bootstrap", SettingType.BOOLEAN, true,
                        "Grow each tree on a sample of the rows drawn with replacement; off, every tree sees all rows and differs only by its feature draws.")
                .build();
    }

    @Override
    public TrainedModel train(Dataset training, StageContext context) throws Exception {
        return PluginClassLoader.call(() -> trainWithPluginLoader(training, context));
    }

    private TrainedModel trainWithPluginLoader(Dataset training, StageContext context) throws Exception {
        context.progress(0.0, "encoding " + training.rowCount() + " rows");
        TrainingSet set = TrainingSet.of(training, ID, context.log());
        Hyper hyper = Hyper.from(context.settings(), set.task(), set.encoder().featureCount());
        checkCancelled(context);

        Model<?> model = set.task() == Task.CLASSIFICATION
                ? grow(set.classification(), hyper, context, new FullyWeightedVotingCombiner(),
                        seed -> new CARTClassificationTrainer(hyper.tribuoDepth(), hyper.minChildWeight(), 0f,
                                hyper.featureFraction(), false, new GiniIndex(), seed))
                : grow(set.regression(), hyper, context, new AveragingCombiner(),
                        seed -> new CARTRegressionTrainer(hyper.tribuoDepth(), hyper.minChildWeight(), 0f,
                                hyper.featureFraction(), false, new MeanSquaredError(), seed));

        TaskArtifact artifact = new TaskArtifact(set.task(), set.encoder(), model);
        TribuoPredictor predictor = new TribuoPredictor(artifact);
        context.log().info("grew a " + set.task().name().toLowerCase(Locale.ROOT) + " forest of " + hyper.trees() + " trees on "
                + set.rows() + " rows, " + model.getFeatureIDMap().size() + " features"
                + (set.task() == Task.CLASSIFICATION ? ", classes " + predictor.classes() : ""));
        context.progress(1.0, "trained");
        return new TrainedModel(artifact.toBytes(CODEC), FORMAT, hyper.describe(set.task(), context.seed()), predictor);
    }

    /** Grows the trees one by one, each with its own seed drawn from the run's seed. */
    private static <T extends Output<T>> Model<T> grow(org.tribuo.Dataset<T> data, Hyper hyper, StageContext context,
                                                      EnsembleCombiner<T> combiner,
                                                      LongFunction<org.tribuo.Trainer<T>> trainerWithSeed) {
        Random seeds = new Random(context.seed());
        List<Model<T>> trees = new ArrayList<>((int) hyper.trees());
        for (int i = 0; i < hyper.trees(); i++) {
            checkCancelled(context);
            long seed = seeds.nextLong();
            org.tribuo.Dataset<T> sample = hyper.bootstrap()
                    ? DatasetView.createBootstrapView(data, data.size(), seed, data.getFeatureIDMap(), data.getOutputIDInfo())
                    : data;
            trees.add(trainerWithSeed.apply(seed).train(sample));
            context.progress(0.05 + 0.95 * (i + 1) / hyper.trees(), "grew tree " + (i + 1) + " of " + hyper.trees());
        }
        checkCancelled(context);
        return WeightedEnsembleModel.createEnsembleFromExistingModels(ID, trees, combiner);
    }

    private static void checkCancelled(StageContext context) {
        TrainingChecks.checkCancelled(context, ID);
    }

    /** The settings, checked, with the feature fraction resolved. */
    private record Hyper(long trees, long maxDepth, float minChildWeight, float featureFraction, boolean bootstrap) {
        static Hyper from(Settings s, Task task, int features) {
            double fraction = s.has("feature_fraction") ? s.number("feature_fraction")
                    : task == Task.CLASSIFICATION ? Math.sqrt(features) / features : 1.0 / 3;
            Hyper h = new Hyper(s.integer("trees"), s.integer("max_depth"), (float) s.number("min_child_weight"),
                    (float) Math.min(1.0, fraction), s.bool("bootstrap"));
            // Tribuo's ensembles need two members; one tree is what the decision-tree plugin is for.
            require(h.trees >= 2 && h.trees <= 100_000, "trees must be between 2 and 100000");
            require(h.maxDepth >= 0 && h.maxDepth <= Integer.MAX_VALUE, "max_depth must be at least 0 (0: no limit)");
            require(h.minChildWeight > 0, "min_child_weight must be positive");
            require(fraction > 0 && fraction <= 1, "feature_fraction must be above 0 and at most 1");
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
            m.put("trees", Long.toString(trees));
            m.put("max_depth", Long.toString(maxDepth));
            m.put("min_child_weight", Float.toString(minChildWeight));
            m.put("feature_fraction", Float.toString(featureFraction));
            m.put("bootstrap", Boolean.toString(bootstrap));
            m.put("impurity", task == Task.CLASSIFICATION ? "gini" : "mse");
            m.put("seed", Long.toString(seed));
            return m;
        }
    }
}
