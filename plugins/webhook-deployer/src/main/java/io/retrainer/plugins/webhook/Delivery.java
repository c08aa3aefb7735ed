package io.retrainer.plugins.webhook;

import io.retrainer.api.StageContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers one event: POSTs the body, signed, and retries what may succeed later (timeouts,
 * refused connections, 408, 429 and 5xx) with exponential backoff, while a refusal (other 4xx, a
 * redirect) fails at once since repeating the same request cannot fix it.
 */
final class Delivery {
    /** The header carrying {@code sha256=<hex HMAC-SHA256 of the body>}. */
    static final String SIGNATURE_HEADER = "X-Retrainer-Signature";
    private static final int EXCERPT = 300;

    private final WebhookOptions options;
    private final StageContext context;
    private final HttpClient client;

    Delivery(WebhookOptions options, StageContext context) {
        this.options = options;
        this.context = context;
        this.client = HttpClient.newBuilder().connectTimeout(options.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** What a delivery achieved: the final status and the attempts it took. */
    record Outcome(int status, int attempts) {
    }

    /**
     * Sends {@code body} until it is accepted, refused, or the attempts run out.
     *
     * @throws IOException saying why the event was not delivered (status and body excerpt, or the last error)
     * @throws CancellationException if the stage is cancelled between attempts
     */
    Outcome send(String event, String deliveryId, String body) throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(options.uri())
                .timeout(options.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "retrainer-webhook")
                .header("X-Retrainer-Event", event)
                // The same id on every attempt, so a receiver can drop a repeat of an event it already took.
                .header("X-Retrainer-Delivery", deliveryId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (options.secret() != null) {
            request.header(SIGNATURE_HEADER, "sha256=" + sign(options.secret(), bytes));
        }
        String lastProblem = "";
        for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
            checkCancelled(attempt);
            OptionalLong retryAfter = OptionalLong.empty();
            HttpResponse<String> response = null;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                lastProblem = "no answer within " + options.timeout().toMillis() + " ms";
            } catch (ConnectException e) {
                lastProblem = "cannot connect (" + (e.getMessage() == null ? "connection refused" : e.getMessage()) + ")";
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (response != null) {
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new Outcome(status, attempt);
                }
                lastProblem = "HTTP " + status + excerpt(response.body());
                if (!retryable(status)) {
                    throw new IOException(WebhookDeployer.ID + ": " + options.shownUrl() + " refused the " + event + " event with "
                            + lastProblem + (status >= 300 && status < 400 ? " (redirects are not followed: use the final URL)" : ""));
                }
                retryAfter = retryAfterSeconds(response);
            }
            if (attempt < options.maxAttempts()) {
                Duration wait = options.backoff(attempt);
                if (retryAfter.isPresent()) {
                    // The receiver asked for a pause; honour it, within the cap.
                    wait = Duration.ofMillis(Math.min(Math.max(wait.toMillis(), retryAfter.getAsLong() * 1000), options.maxBackoff().toMillis()));
                }
                context.log().warn("attempt " + attempt + " of " + options.maxAttempts() + " to " + options.shownUrl() + " failed: "
                        + lastProblem + "; trying again in " + wait.toMillis() + " ms");
                pause(wait, attempt);
            }
        }
        throw new IOException(WebhookDeployer.ID + ": gave up delivering the " + event + " event to " + options.shownUrl() + " after "
                + options.maxAttempts() + " attempt(s); last: " + lastProblem);
    }

    /** 408 (request timeout), 429 (too many requests) and server errors may pass on a later try. */
    static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** The hex HMAC-SHA256 of {@code body} under {@code secret}. */
    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java runtime must provide HmacSHA256", e);
        }
    }

    private static OptionalLong retryAfterSeconds(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").filter(v -> v.trim().matches("\\d{1,6}"))
                .map(v -> OptionalLong.of(Long.parseLong(v.trim()))).orElse(OptionalLong.empty());
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return ": " + (flat.length() > EXCERPT ? flat.substring(0, EXCERPT) + "…" : flat);
    }

    /** Waits, looking at the cancellation flag every 50 ms so that a cancelled run does not wait out a long backoff. */
    private void pause(Duration wait, int attempt) throws InterruptedException {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            checkCancelled(attempt + 1);
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(50, Math.max(1, left / 1_000_000)));
        }
    }

    private void checkCancelled(int attempt) {
        if (context.isCancelled()) {
            throw new CancellationException(WebhookDeployer.ID + ": cancelled before attempt " + attempt + " to " + options.shownUrl());
        }
    }
}
