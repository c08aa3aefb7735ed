package io.retrainer.core.monitoring;

import static io.retrainer.core.monitoring.MonitoringDb.batch;
import static io.retrainer.core.monitoring.MonitoringDb.model;
import static io.retrainer.core.monitoring.MonitoringDb.yes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.retrainer.api.Prediction;
import io.retrainer.core.InvalidInputException;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.serving.ServedBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Feedback against real PostgreSQL: idempotency, corrections with history, unknown ids, regression, queued predictions. */
class FeedbackServiceTest {
    static MonitoringDb env;
    static FeedbackService feedback;

    @BeforeAll
    static void start() throws Exception {
        env = new MonitoringDb(100_000);
        feedback = env.monitoring.feedback();
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private static List<String> logged(int n) {
        ServedBatch b = batch("fb", model("m", 1), "blue", n, Instant.now(), i -> yes(0.8));
        env.monitoring.predictionLog().onBatch(b);
        Db.await(env.monitoring.predictionLog().flush());
        return b.ids();
    }

    private static FeedbackOutcome submit(FeedbackItem... items) {
        return Db.await(feedback.submit(List.of(items)));
    }

    private static FeedbackItem label(String id, String label) {
        return new FeedbackItem(id, label, null);
    }

    @Test
    void aRepeatedLabelChangesNothingAndAChangedOneIsACorrectionWithHistory() {
        List<String> ids = logged(2);
        double correctedBefore = env.metric("retrainer_feedback_total", "fb", "corrected");
        assertEquals(new FeedbackOutcome(2, 0, 0, List.of()), submit(label(ids.get(0), "yes"), label(ids.get(1), "no")));
        assertEquals(new FeedbackOutcome(0, 2, 0, List.of()), submit(label(ids.get(0), "yes"), label(ids.get(1), "no")));
        assertEquals(1, env.count("select count(*) from feedback_event where prediction_id = '" + ids.get(0) + "'"),
                "a repeat adds no history");

        assertEquals(new FeedbackOutcome(0, 1, 1, List.of()), submit(label(ids.get(0), "no"), label(ids.get(1), "no")));
        assertEquals(new FeedbackOutcome(0, 0, 1, List.of()), submit(label(ids.get(0), "yes")));

        FeedbackHistory h = Db.await(feedback.history(ids.get(0)));
        assertEquals("yes", h.label());
        assertEquals(2, h.corrections());
        assertEquals(List.of("label", "correction", "correction"), h.events().stream().map(FeedbackEvent::kind).toList());
        assertEquals("yes", h.events().get(1).previousLabel());
        assertEquals("no", h.events().get(1).label());
        assertEquals("no", h.events().get(2).previousLabel());
        assertEquals(1, env.count("select count(*) from feedback where prediction_id = '" + ids.get(0) + "'"), "one current label");
        assertEquals(correctedBefore + 2, env.metric("retrainer_feedback_total", "fb", "corrected"), 0.0);
    }

    @Test
    void theSameIdTwiceInOneRequestIsALabelThenACorrection() {
        String id = logged(1).get(0);
        assertEquals(new FeedbackOutcome(1, 0, 1, List.of()), submit(label(id, "yes"), label(id, "no")));
        assertEquals("no", Db.await(feedback.history(id)).label());
    }

    @Test
    void unknownIdsAreReportedInOrderAndKnownOnesStillRecorded() {
        String known = logged(1).get(0);
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        double unknownBefore = env.metric("retrainer_feedback_total", "", "unknown");
        assertEquals(new FeedbackOutcome(1, 0, 0, List.of(a, b)), submit(label(a, "yes"), label(known, "yes"), label(b, "no")));
        assertEquals(unknownBefore + 2, env.metric("retrainer_feedback_total", "", "unknown"), 0.0);
    }

    @Test
    void malformedItemsAreRefusedByIndexAndFieldWithNothingWritten() {
        String id = logged(1).get(0);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> submit(label(id, "yes"),
                new FeedbackItem(null, "x", null), new FeedbackItem("not-a-uuid", "x", null), new FeedbackItem(id, null, null),
                new FeedbackItem(id, "a", 1.0), new FeedbackItem(id, null, Double.NaN)));
        assertEquals(List.of("[1].prediction_id: required",
                "[2].prediction_id: expected a prediction id (a UUID as returned by inference), got \"not-a-uuid\"",
                "[3]: needs \"label\" (classification) or \"value\" (regression)",
                "[4]: give either \"label\" or \"value\", not both",
                "[5].value: expected a finite number, got NaN"), e.problems());
        assertEquals(0, env.count("select count(*) from feedback where prediction_id = '" + id + "'"));
        assertThrows(InvalidInputException.class, () -> submit());
    }

    @Test
    void regressionTakesValuesOrNumericLabelsAndRefusesWords() {
        ServedBatch b = batch("fb-reg", model("reg", 1), "blue", 3, Instant.now(), i -> Prediction.ofValue(10 * i));
        env.monitoring.predictionLog().onBatch(b);
        Db.await(env.monitoring.predictionLog().flush());
        assertEquals(new FeedbackOutcome(2, 0, 0, List.of()), submit(new FeedbackItem(b.ids().get(0), null, 12.3),
                label(b.ids().get(1), "7.5")));
        assertEquals(new FeedbackOutcome(0, 1, 1, List.of()), submit(new FeedbackItem(b.ids().get(0), null, 12.3),
                new FeedbackItem(b.ids().get(1), null, 8.0)));
        FeedbackHistory h = Db.await(feedback.history(b.ids().get(1)));
        assertEquals(8.0, h.value());
        assertEquals(7.5, h.events().get(1).previousValue());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> submit(label(b.ids().get(2), "big")));
        assertEquals(List.of("[0].label: prediction " + b.ids().get(2)
                + " is a regression; send \"value\" with the true number, got label \"big\""), e.problems());
    }

    @Test
    void feedbackForPredictionsStillQueuedIsNotReportedUnknown() {
        // Publish without flushing: the rows may still be in the queue or the writer's batch.
        List<FeedbackItem> items = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            ServedBatch b = batch("fb-q", model("m", 1), "blue", 50, Instant.now(), i -> yes(0.3));
            env.monitoring.predictionLog().onBatch(b);
            items.add(label(b.ids().get(49), "no"));
        }
        FeedbackOutcome out = Db.await(feedback.submit(items));
        assertEquals(new FeedbackOutcome(20, 0, 0, List.of()), out);
    }
}
