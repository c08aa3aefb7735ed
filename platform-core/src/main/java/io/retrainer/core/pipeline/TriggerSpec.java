package io.retrainer.core.pipeline;

/**
 * A schedule trigger of a pipeline.
 *
 * @param key a stable key for its state row, e.g. {@code schedule:0 3 * * MON@UTC}
 * @param cron a five-field Unix cron expression
 * @param timeZone the zone the expression is read in
 */
public record TriggerSpec(String key, String cron, java.time.ZoneId timeZone) {
    /** "schedule 0 3 * * MON (Europe/Berlin)". */
    public String describe() {
        return "schedule " + cron + " (" + timeZone.getId() + ")";
    }
}
