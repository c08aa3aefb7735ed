package io.retrainer.api;

/**
 * Trains a model. Runs on a worker thread and should check {@link StageContext#isCancelled()}
 * between epochs or rounds.
 */
public interface Trainer extends RetrainerExtension {

    /**
     * Trains on {@code training}, whose schema names the label column.
     *
     * @param training the training rows (the holdout has already been removed)
     * @param context settings, log, progress, seeded random source and scratch directory
     * @return the trained model: artifact bytes, format id, hyper-parameters used and a predictor
     * @throws Exception with a readable message when training fails
     */
    TrainedModel train(Dataset training, StageContext context) throws Exception;
}
