package io.retrainer.core.serving;

import io.retrainer.api.ModelRef;
import io.retrainer.api.Predictor;
import java.time.Instant;

/**
 * The model answering at an endpoint.
 *
 * @param ref which version
 * @param predictor the loaded model
 * @param since when it went live
 */
public record ServedModel(ModelRef ref, Predictor predictor, Instant since) {
}
