package io.retrainer.core.serving;

/**
 * Where one request goes.
 *
 * @param endpoint the endpoint
 * @param model the model that answers it
 * @param slot the slot that model is in ({@code blue} or {@code green})
 * @param shadow a model to mirror this request to (its answer is logged, never returned), or {@code null}
 * @param shadowSlot the shadow's slot, or {@code null}
 */
public record Routed(String endpoint, ServedModel model, String slot, ServedModel shadow, String shadowSlot) {
}
