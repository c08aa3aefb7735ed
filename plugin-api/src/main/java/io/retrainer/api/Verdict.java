package io.retrainer.api;

import java.util.Objects;

/**
 * An evaluator's decision on the candidate.
 *
 * @param decision promote or reject
 * @param reason why, in words an operator understands (with the scores compared)
 */
public record Verdict(Decision decision, String reason) {
    /** Checks presence. */
    public Verdict {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(reason, "reason");
    }

    /** What to do with the candidate. */
    public enum Decision {
        /** Register as production and deploy. */
        PROMOTE,
        /** Register as rejected; the production model stays. */
        REJECT
    }

    /** A promote verdict. */
    public static Verdict promote(String reason) {
        return new Verdict(Decision.PROMOTE, reason);
    }

    /** A reject verdict. */
    public static Verdict reject(String reason) {
        return new Verdict(Decision.REJECT, reason);
    }
}
