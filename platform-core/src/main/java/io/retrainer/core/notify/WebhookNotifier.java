package io.retrainer.core.notify;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.retrainer.core.json.Json;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers every {@link Event} as a JSON POST to each configured URL:
 * <pre>{"id": "…", "event": "run.succeeded", "at": "2025-…Z", "pipeline": "churn", "run_id": 7, "details": {…}}</pre>
 * with headers {@code X-Retrainer-Event} (the type) and {@code X-Retrainer-Delivery} (the id, the
 * same on every retry so receivers can drop duplicates).
 *
 * <p>A delivery that fails (connection error, no answer within the attempt timeout, 5xx, 408 or
 * 429) is retried with exponential backoff: by default 5 retries after 1, 2, 4, 8 and 16 s. Any
 * other 4xx is not retried: the receiver said the request itself is wrong. Deliveries waiting or in
 * flight are bounded; beyond that, new ones are dropped and counted rather than queued, so a dead
 * receiver costs bounded memory. Everything runs on one Vert.x context with non-blocking I/O;
 * {@link #publish} only encodes the event and hands it over. Deliveries of different events are
 * independent, so a receiver may see them out of order when retries happen: {@code at} orders them.
 *
 * <p>Outcomes are counted in {@code retrainer_notifications_total{event, outcome}}, outcome one
 * of {@code delivered}, {@code retried} (per retry), {@code failed} (gave up after the last
 * retry), {@code rejected} (a 4xx answer) and {@code dropped} (queue full).
 */
public final class WebhookNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);

    /**
     * Delivery settings.
     *
     * @param retries retries after the first attempt fails (0: one attempt only)
     * @param firstBackoff wait before the first retry; each further retry waits twice as long
     * @param maxBackoff the longest wait between attempts
     * @param capacity deliveries (event × URL) waiting or in flight before new ones are dropped
     * @param attemptTimeout how long one attempt may take to connect or to answer
     */
    public record Options(int retries, Duration firstBackoff, Duration maxBackoff, int capacity, Duration attemptTimeout) {
        /** Checks ranges. */
        public Options {
            if (retries < 0 || capacity < 1 || firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0
                    || attemptTimeout.isNegative() || attemptTimeout.isZero()) {
                throw new IllegalArgumentException("webhook options out of range: retries " + retries + ", backoff "
                        + firstBackoff + " to " + maxBackoff + ", capacity " + capacity + ", attempt timeout " + attemptTimeout);
            }
        }

        /** 5 retries after 1, 2, 4, 8 and 16 s; 1,000 deliveries pending at most; 10 s per attempt. */
        public static Options defaults() {
            return new Options(5, Duration.ofSeconds(1), Duration.ofSeconds(16), 1000, Duration.ofSeconds(10));
        }

        /** The wait before retry number {@code retry} (1-based): first backoff doubled each time, capped. */
        public Duration backoff(int retry) {
            long ms = firstBackoff.toMillis();
            for (int i = 1; i < retry && ms < maxBackoff.toMillis(); i++) {
                ms *= 2;
            }
            return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
        }
    }

    private record Delivery(String id, String type, String url, Buffer body) {
    }

    private final Vertx vertx;
    private final Context context;
    private final WebClient client;
    private final List<String> urls;
    private final Options options;
    private final Counter outcomes;
    private final AtomicInteger pending = new AtomicInteger();
    private final Set<Long> timers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * A notifier posting to {@code urls}; a URL that is not absolute http(s) is logged and left
     * out (see {@link #checkUrl}). Registers its counter in {@code registry}.
     */
    public WebhookNotifier(Vertx vertx, List<String> urls, CollectorRegistry registry, Options options) {
        this.vertx = vertx;
        this.options = options;
        List<String> usable = new ArrayList<>();
        for (String url : urls) {
            String problem = checkUrl(url);
            if (problem == null) {
                usable.add(url.trim());
            } else {
                LOG.error("webhook {}: {}; no notifications go there", url, problem);
            }
        }
        this.urls = List.copyOf(usable);
        this.outcomes = Counter.build("retrainer_notifications_total",
                        "Webhook deliveries by event type and outcome (delivered, retried, failed, rejected, dropped)")
                .labelNames("event", "outcome").register(registry);
        // One context for all deliveries: the client, its timers and the retry chains share one event loop.
        this.context = vertx.getOrCreateContext();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setUserAgent("retrainer-webhook")
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.attemptTimeout().toMillis()))
                .setFollowRedirects(false));
        if (!this.urls.isEmpty()) {
            LOG.info("webhooks: notifying {}", this.urls);
        }
    }

    /** Why {@code url} cannot receive webhooks, or {@code null} if it can (an absolute http or https URL with a host). */
    public static String checkUrl(String url) {
        if (url == null || url.isBlank()) {
            return "empty URL";
        }
        try {
            URI u = new URI(url.trim());
            if (u.getScheme() == null || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))) {
                return "not an http or https URL";
            }
            if (u.getHost() == null) {
                return "no host in the URL";
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return "not a valid URL: " + e.getMessage();
        }
    }

    /** The URLs notified. */
    public List<String> urls() {
        return urls;
    }

    /** Deliveries waiting for an attempt or a retry, or in flight. */
    public int pending() {
        return pending.get();
    }

    @Override
    public void publish(Event event) {
        if (closed || urls.isEmpty() || event == null) {
            return;
        }
        try {
            String id = UUID.randomUUID().toString();
            Buffer body = Buffer.buffer(Json.write(body(id, event)));
            for (String url : urls) {
                if (pending.incrementAndGet() > options.capacity()) {
                    pending.decrementAndGet();
                    outcomes.labels(event.type(), "dropped").inc();
                    LOG.warn("webhook {}: {} dropped, {} deliveries already pending", url, event.type(), options.capacity());
                    continue;
                }
                Delivery d = new Delivery(id, event.type(), url, body);
                context.runOnContext(v -> attempt(d, 0));
            }
        } catch (RuntimeException e) {
            // Never let a notification break the caller (a run, a deployment): log and move on.
            LOG.warn("notification {} not sent: {}", event.type(), e.toString());
        }
    }

    private static Map<String, Object> body(String id, Event event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("event", event.type());
        body.put("at", event.at().toString());
        body.put("pipeline", event.pipeline());
        body.put("run_id", event.runId());
        body.put("details", event.details());
        return body;
    }

    /** One attempt of {@code d}; {@code retry} is how many attempts failed before it. */
    private void attempt(Delivery d, int retry) {
        if (closed) {
            pending.decrementAndGet();
            return;
        }
        client.postAbs(d.url())
                .timeout(options.attemptTimeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("X-Retrainer-Event", d.type())
                .putHeader("X-Retrainer-Delivery", d.id())
                .sendBuffer(d.body())
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
                        settle(d, "delivered");
                    } else if (ar.succeeded() && !retryable(ar.result())) {
                        LOG.warn("webhook {}: {} refused with HTTP {}; not retried", d.url(), d.type(), ar.result().statusCode());
                        settle(d, "rejected");
                    } else {
                        String why = ar.succeeded() ? "HTTP " + ar.result().statusCode() : ar.cause().toString();
                        retryOrGiveUp(d, retry + 1, why);
                    }
                });
    }

    private static boolean retryable(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        return status >= 500 || status == 408 || status == 429 || status / 100 == 1 || status / 100 == 3;
    }

    private void retryOrGiveUp(Delivery d, int failures, String why) {
        if (closed) {
            pending.decrementAndGet();
            return;
        }
        if (failures > options.retries()) {
            LOG.warn("webhook {}: {} failed {} time(s), giving up; last error: {}", d.url(), d.type(), failures, why);
            settle(d, "failed");
            return;
        }
        Duration wait = options.backoff(failures);
        LOG.debug("webhook {}: {} attempt {} failed ({}); retrying in {} ms", d.url(), d.type(), failures, why, wait.toMillis());
        outcomes.labels(d.type(), "retried").inc();
        long[] timer = new long[1];
        timer[0] = vertx.setTimer(Math.max(1, wait.toMillis()), t -> {
            timers.remove(timer[0]);
            attempt(d, failures);
        });
        timers.add(timer[0]);
    }

    private void settle(Delivery d, String outcome) {
        pending.decrementAndGet();
        outcomes.labels(d.type(), outcome).inc();
    }

    @Override
    public void close() {
        closed = true;
        timers.forEach(vertx::cancelTimer);
        timers.clear();
        try {
            client.close();
        } catch (RuntimeException e) {
            LOG.debug("webhook client close: {}", e.toString());
        }
    }
}
