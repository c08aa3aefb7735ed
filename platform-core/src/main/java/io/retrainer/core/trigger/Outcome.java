package io.retrainer.core.trigger;

/**
 * What one evaluation of a trigger's condition found.
 *
 * @param fire whether the condition holds (the policy may still hold the firing back)
 * @param text the run's reason when it holds, else what was observed, in words
 * @param token for data triggers, the source's current change token, else {@code null}
 */
record Outcome(boolean fire, String text, String token) {
    static Outcome fire(String reason) {
        return new Outcome(true, reason, null);
    }

    static Outcome quiet(String observation) {
        return new Outcome(false, observation, null);
    }
}
