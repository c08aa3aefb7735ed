package io.retrainer.core.serving;

/**
 * Sees every answered inference request. Called on the serving thread (often an event loop):
 * implementations hand work off (queue it, bump counters) and never block.
 */
@FunctionalInterface
public interface PredictionListener {
    /** Called once per answered request (and once per shadow prediction). */
    void onBatch(ServedBatch batch);
}
