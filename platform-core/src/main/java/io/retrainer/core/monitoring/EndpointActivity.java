package io.retrainer.core.monitoring;

/**
 * Recent prediction and feedback counts of one endpoint, for the console.
 *
 * @param predictionsLastHour live predictions logged in the last hour
 * @param predictionsLastDay live predictions logged in the last 24 hours
 * @param shadowLastDay shadow predictions logged in the last 24 hours
 * @param feedbackLastHour predictions that received their first label in the last hour
 * @param feedbackLastDay predictions that received their first label in the last 24 hours
 * @param correctionsLastDay label corrections in the last 24 hours
 */
public record EndpointActivity(long predictionsLastHour, long predictionsLastDay, long shadowLastDay, long feedbackLastHour,
                               long feedbackLastDay, long correctionsLastDay) {
}
