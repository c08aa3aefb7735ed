package io.retrainer.core.serving;

import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import java.time.Instant;
import java.util.List;

/**
 * One inference request's rows and answers, as prediction listeners (prediction log, drift,
 * rollout gates) see it. Immutable; listeners must not block.
 *
 * @param endpoint the endpoint called
 * @param model the model that answered
 * @param slot {@code blue} or {@code green}
 * @param shadow true if this was a mirrored shadow prediction that the client never saw
 * @param inputs the rows, in the model's input schema
 * @param outputs one prediction per row
 * @param ids the prediction ids returned to the client (for shadow batches, the ids of the live predictions mirrored)
 * @param at when the request arrived
 * @param latencyNanos time to answer the request
 */
public record ServedBatch(String endpoint, ServedModel model, String slot, boolean shadow, Dataset inputs,
                          List<Prediction> outputs, List<String> ids, Instant at, long latencyNanos) {
}
