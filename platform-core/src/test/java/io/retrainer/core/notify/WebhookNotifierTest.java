package io.retrainer.core.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.CollectorRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The webhook notifier against real HTTP receivers on this machine: one that fails before it
 * answers, one that always fails, one that refuses, and one that never answers.
 */
class WebhookNotifierTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static Vertx vertx;

    /** What a test receiver saw: one entry per attempt. */
    record Attempt(long nanos, String delivery, String event, JsonObject body) {
    }

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A receiver answering each attempt with the next status of {@code statuses} (the last one repeats); 0 = never answer. */
    static String receiver(List<Attempt> seen, int... statuses) {
        AtomicInteger n = new AtomicInteger();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            seen.add(new Attempt(System.nanoTime(), req.getHeader("X-Retrainer-Delivery"), req.getHeader("X-Retrainer-Event"),
                    body.toJsonObject()));
            int status = statuses[Math.min(n.getAndIncrement(), statuses.length - 1)];
            if (status != 0) {
                req.response().setStatusCode(status).end();
            }
        }));
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
        return "http://127.0.0.1:" + port + "/hook";
    }

    static double count(CollectorRegistry registry, String event, String outcome) {
        Double v = registry.getSampleValue("retrainer_notifications_total", new String[] {"event", "outcome"},
                new String[] {event, outcome});
        return v == null ? 0 : v;
    }

    static void awaitCount(CollectorRegistry registry, String event, String outcome, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (count(registry, event, outcome) < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(event + " " + outcome + " stayed at " + count(registry, event, outcome) + ", expected " + expected);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void retriesWithExponentialBackoffUntilTheReceiverAnswers() throws Exception {
        List<Attempt> seen = new CopyOnWriteArrayList<>();
        String url = receiver(seen, 503, 500, 200);
        CollectorRegistry registry = new CollectorRegistry();
        WebhookNotifier n = new WebhookNotifier(vertx, List.of(url), registry,
                new WebhookNotifier.Options(5, Duration.ofMillis(150), Duration.ofSeconds(2), 10, Duration.ofSeconds(5)));
        try {
            n.publish(Event.ofRun("run.succeeded", "churn", 7, Event.details("model", "churn", "version", 3, "error", null)));
            awaitCount(registry, "run.succeeded", "delivered", 1);

            assertEquals(3, seen.size(), "two failures, then the delivery");
            assertEquals(2.0, count(registry, "run.succeeded", "retried"));
            assertEquals(0.0, count(registry, "run.succeeded", "failed"));
            assertEquals(0, n.pending());
            // Every attempt carries the same delivery id and body, so a receiver can drop duplicates.
            assertEquals(1, seen.stream().map(Attempt::delivery).distinct().count());
            assertEquals(1, seen.stream().map(a -> a.body().encode()).distinct().count());
            JsonObject body = seen.get(2).body();
            assertEquals("run.succeeded", body.getString("event"));
            assertEquals("run.succeeded", seen.get(2).event());
            assertEquals(seen.get(2).delivery(), body.getString("id"));
            assertEquals("churn", body.getString("pipeline"));
            assertEquals(7L, body.getLong("run_id"));
            assertEquals(Map.of("model", "churn", "version", 3), body.getJsonObject("details").getMap(), "null details are left out");
            assertTrue(body.getString("at").endsWith("Z"), body.getString("at"));
            // Backoff: at least 150 ms before the first retry, at least twice that before the second (timers never fire early).
            long firstWait = (seen.get(1).nanos() - seen.get(0).nanos()) / 1_000_000;
            long secondWait = (seen.get(2).nanos() - seen.get(1).nanos()) / 1_000_000;
            assertTrue(firstWait >= 150, "first retry after " + firstWait + " ms");
            assertTrue(secondWait >= 300, "second retry after " + secondWait + " ms");
        } finally {
            n.close();
        }
    }

    @Test
    void givesUpAfterTheLastRetryAndCountsTheFailure() throws Exception {
        List<Attempt> seen = new CopyOnWriteArrayList<>();
        CollectorRegistry registry = new CollectorRegistry();
        WebhookNotifier n = new WebhookNotifier(vertx, List.of(receiver(seen, 500)), registry,
                new WebhookNotifier.Options(2, Duration.ofMillis(10), Duration.ofMillis(20), 10, Duration.ofSeconds(5)));
        try {
            n.publish(Event.of("trigger.fired", "churn", Map.of("trigger", "drift")));
            awaitCount(registry, "trigger.fired", "failed", 1);
            assertEquals(3, seen.size(), "the first attempt and two retries");
            assertEquals(2.0, count(registry, "trigger.fired", "retried"));
            assertEquals(0.0, count(registry, "trigger.fired", "delivered"));
            assertNull(seen.get(0).body().getValue("run_id"));
            assertEquals("drift", seen.get(0).body().getJsonObject("details").getString("trigger"));
        } finally {
            n.close();
        }
    }

    @Test
    void aReceiverThatRefusesTheRequestIsNotRetried() throws Exception {
        List<Attempt> seen = new CopyOnWriteArrayList<>();
        CollectorRegistry registry = new CollectorRegistry();
        WebhookNotifier n = new WebhookNotifier(vertx, List.of(receiver(seen, 404)), registry,
                new WebhookNotifier.Options(5, Duration.ofMillis(10), Duration.ofMillis(20), 10, Duration.ofSeconds(5)));
        try {
            n.publish(Event.of("alias.moved", null, Map.of("alias", "champion")));
            awaitCount(registry, "alias.moved", "rejected", 1);
            Thread.sleep(200);
            assertEquals(1, seen.size());
            assertEquals(0.0, count(registry, "alias.moved", "retried"));
        } finally {
            n.close();
        }
    }

    @Test
    void aReceiverThatNeverAnswersFillsABoundedQueueAndTheRestIsDroppedAndCounted() throws Exception {
        List<Attempt> seen = new CopyOnWriteArrayList<>();
        CollectorRegistry registry = new CollectorRegistry();
        WebhookNotifier n = new WebhookNotifier(vertx, List.of(receiver(seen, 0)), registry,
                new WebhookNotifier.Options(5, Duration.ofSeconds(1), Duration.ofSeconds(16), 2, Duration.ofSeconds(60)));
        try {
            for (int i = 0; i < 5; i++) {
                n.publish(Event.of("deployment.step", "churn", Map.of("percent", 10 * i)));
            }
            assertEquals(3.0, count(registry, "deployment.step", "dropped"));
            assertEquals(2, n.pending());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, seen.size(), "the two queued deliveries reached the receiver, which holds them");
            assertEquals(0.0, count(registry, "deployment.step", "delivered"));
        } finally {
            n.close();
        }
    }

    @Test
    void anAttemptThatGetsNoAnswerTimesOutAndIsRetried() throws Exception {
        List<Attempt> seen = new CopyOnWriteArrayList<>();
        CollectorRegistry registry = new CollectorRegistry();
        WebhookNotifier n = new WebhookNotifier(vertx, List.of(receiver(seen, 0, 204)), registry,
                new WebhookNotifier.Options(3, Duration.ofMillis(10), Duration.ofMillis(10), 10, Duration.ofMillis(300)));
        try {
            n.publish(Event.of("deployment.completed", "churn", Map.of()));
            awaitCount(registry, "deployment.completed", "delivered", 1);
            assertEquals(2, seen.size());
            assertEquals(1.0, count(registry, "deployment.completed", "retried"));
        } finally {
            n.close();
        }
    }

    @Test
    void backoffDoublesFromTheFirstWaitUpToTheCap() {
        WebhookNotifier.Options o = WebhookNotifier.Options.defaults();
        assertEquals(5, o.retries());
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 16L),
                List.of(o.backoff(1), o.backoff(2), o.backoff(3), o.backoff(4), o.backoff(5), o.backoff(6)).stream()
                        .map(Duration::toSeconds).toList());
    }

    @Test
    void unusableUrlsAreNamedAndLeftOut() {
        assertNull(WebhookNotifier.checkUrl("https://hooks.example.com/retrainer?x=1"));
        assertEquals("not an http or https URL", WebhookNotifier.checkUrl("ftp://example.com/x"));
        assertEquals("not an http or https URL", WebhookNotifier.checkUrl("example.com/hook"));
        assertEquals("empty URL", WebhookNotifier.checkUrl(" "));
        assertTrue(WebhookNotifier.checkUrl("http://exa mple.com").startsWith("not a valid URL"));
        WebhookNotifier n = new WebhookNotifier(vertx, List.of("nope", "http://127.0.0.1:9/x"), new CollectorRegistry(),
                WebhookNotifier.Options.defaults());
        assertEquals(List.of("http://127.0.0.1:9/x"), n.urls());
        n.close();
    }

    @Test
    void publishNeverThrowsEvenForValuesJsonCannotWrite() {
        CollectorRegistry registry = new CollectorRegistry();
        WebhookNotifier n = new WebhookNotifier(vertx, List.of("http://127.0.0.1:9/x"), registry, WebhookNotifier.Options.defaults());
        n.publish(Event.of("run.failed", "p", Map.of("weird", new Object() {
            @SuppressWarnings("unused")
            public Object getSelf() {
                return this;
            }
        })));
        n.publish(null);
        n.close();
        n.publish(Event.of("run.failed", "p", Map.of()));
        assertEquals(0, n.pending());
    }
}
