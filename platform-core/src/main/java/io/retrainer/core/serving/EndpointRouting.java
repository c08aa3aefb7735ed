package io.retrainer.core.serving;

/**
 * The immutable traffic picture of one endpoint; a change replaces the whole object, so every
 * request sees one consistent picture.
 *
 * @param stable the version taking the traffic the canary does not (null before the first deployment)
 * @param stableSlot its slot
 * @param canary the version being rolled out, or {@code null}
 * @param canaryPercent the canary's share of traffic, 0-100
 * @param shadow a version receiving mirrored traffic, or {@code null}
 * @param shadowFraction the fraction of requests mirrored to it
 */
public record EndpointRouting(ServedModel stable, String stableSlot, ServedModel canary, int canaryPercent, ServedModel shadow,
                              double shadowFraction) {
    static final String BLUE = "blue";
    static final String GREEN = "green";

    static EndpointRouting empty() {
        return new EndpointRouting(null, GREEN, null, 0, null, 0);
    }

    /** The slot a new version goes into: the one the stable version is not in. */
    public String idleSlot() {
        return BLUE.equals(stableSlot) ? GREEN : BLUE;
    }

    EndpointRouting withStable(ServedModel m, String slot) {
        return new EndpointRouting(m, slot, null, 0, null, 0);
    }

    EndpointRouting withCanary(ServedModel m, int percent) {
        return new EndpointRouting(stable, stableSlot, m, percent, shadow, shadowFraction);
    }

    EndpointRouting withShadow(ServedModel m, double fraction) {
        return new EndpointRouting(stable, stableSlot, canary, canaryPercent, m, fraction);
    }
}
