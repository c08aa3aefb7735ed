package io.retrainer.core.serving;

import io.retrainer.api.Prediction;
import java.util.List;

/**
 * What a client gets back.
 *
 * @param model the model that answered
 * @param slot its slot
 * @param predictions one per row
 * @param ids one prediction id per row, for feedback
 */
public record InferenceResult(ServedModel model, String slot, List<Prediction> predictions, List<String> ids) {
}
