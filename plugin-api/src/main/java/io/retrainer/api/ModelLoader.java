package io.retrainer.api;

/**
 * Turns stored artifact bytes of one format back into a {@link Predictor}: used for serving and
 * for re-evaluating the production model after a restart.
 */
public interface ModelLoader extends RetrainerExtension {

    /** The artifact format this loader reads, as written by a {@link Trainer} into {@link TrainedModel#format()}. */
    String format();

    /**
     * Loads a model.
     *
     * @param artifact the bytes a trainer produced (already checked against their SHA-256)
     * @return a thread-safe predictor
     * @throws Exception when the bytes are not a model of this format
     */
    Predictor load(byte[] artifact) throws Exception;

    /** Loaders are looked up by format; by default the id is the format. */
    @Override
    default String id() {
        return format();
    }
}
