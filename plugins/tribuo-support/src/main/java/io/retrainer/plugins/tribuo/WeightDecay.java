package io.retrainer.plugins.tribuo;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import org.tribuo.math.Parameters;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.Tensor;

/**
 * L2 regularisation for Tribuo's linear SGD, which has none of its own in 4.3: wraps an optimiser
 * and, after each of its steps, shrinks every weight by {@code learningRate × l2} (weight decay,
 * the SGD form of an L2 penalty). The bias column is shrunk too; with the small values the
 * plugins use that makes no practical difference, and Tribuo keeps the bias's position private.
 * The class name is recorded in a trained model's provenance (informational only: loading a model
 * does not instantiate it).
 */
public final class WeightDecay implements StochasticGradientOptimiser {
    @Config(mandatory = true, description = "The optimiser whose steps are followed by the decay.")
    private StochasticGradientOptimiser optimiser;
    @Config(description = "Learning rate the decay is scaled by.")
    private double learningRate;
    @Config(description = "L2 penalty.")
    private double l2;

    private Tensor[] weights;

    /** For OLCUT's configuration system, which creates configurables reflectively. */
    private WeightDecay() {
    }

    /**
     * @param optimiser the optimiser whose steps are followed by the decay
     * @param learningRate the learning rate the decay is scaled by
     * @param l2 the L2 penalty; {@code learningRate × l2} must be below 1
     */
    public WeightDecay(StochasticGradientOptimiser optimiser, double learningRate, double l2) {
        this.optimiser = optimiser;
        this.learningRate = learningRate;
        this.l2 = l2;
    }

    @Override
    public void initialise(Parameters parameters) {
        optimiser.initialise(parameters);
        // Tribuo's parameters hand out their live tensors, so scaling them in place shrinks the model.
        weights = parameters.get();
    }

    @Override
    public Tensor[] step(Tensor[] updates, double weight) {
        Tensor[] steps = optimiser.step(updates, weight);
        double keep = 1 - learningRate * l2;
        for (Tensor w : weights) {
            w.scaleInPlace(keep);
        }
        return steps;
    }

    @Override
    public void finalise() {
        optimiser.finalise();
    }

    @Override
    public void reset() {
        optimiser.reset();
        weights = null;
    }

    @Override
    public WeightDecay copy() {
        return new WeightDecay(optimiser.copy(), learningRate, l2);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "StochasticGradientOptimiser");
    }

    @Override
    public String toString() {
        return "WeightDecay(l2=" + l2 + "," + optimiser + ")";
    }
}
