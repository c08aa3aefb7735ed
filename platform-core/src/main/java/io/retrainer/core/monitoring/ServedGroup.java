package io.retrainer.core.monitoring;

/**
 * The predictions of one model version in one slot of an endpoint, live or shadow: the unit live
 * quality is reported per.
 *
 * @param endpoint the endpoint
 * @param model the model name
 * @param version the version
 * @param slot {@code blue} or {@code green}
 * @param shadow whether these are mirrored answers the client never saw
 */
public record ServedGroup(String endpoint, String model, int version, String slot, boolean shadow) {
    /** The slot as metric labels and charts show it: shadow answers as {@code <slot>-shadow}. */
    public String slotLabel() {
        return shadow ? slot + "-shadow" : slot;
    }
}
