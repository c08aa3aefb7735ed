package io.retrainer.plugins.webhook;

import io.retrainer.api.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.function.Function;

/**
 * The {@code webhook} deployer's settings, typed, with the secret resolved.
 *
 * @param uri where to POST
 * @param shownUrl the URL without user info and query (either may hold a token), for logs and results
 * @param secret the HMAC key, or {@code null} to send unsigned events
 * @param maxAttempts how many times to try in all
 * @param initialBackoff the wait after the first failed attempt; doubled after each further one
 * @param maxBackoff the longest wait between attempts
 * @param timeout how long one attempt may take, connecting included
 */
record WebhookOptions(URI uri, String shownUrl, String secret, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                      Duration timeout) {

    static WebhookOptions from(Settings settings) {
        return from(settings, System::getenv);
    }

    /**
     * Reads the settings.
     *
     * @param env looks up environment variables (a parameter so that tests need not change the real environment)
     * @throws IllegalArgumentException saying which setting is wrong
     */
    static WebhookOptions from(Settings settings, Function<String, String> env) {
        String url = settings.requireString("url").trim();
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(WebhookDeployer.ID + ": url is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(WebhookDeployer.ID + ": url must be an absolute http:// or https:// URL, got '"
                    + shown(uri) + "'");
        }
        String direct = settings.string("secret").orElse(null);
        String variable = settings.string("secret_env").orElse(null);
        if (direct != null && variable != null) {
            throw new IllegalArgumentException(WebhookDeployer.ID + ": give secret or secret_env, not both");
        }
        String secret = direct;
        if (variable != null) {
            secret = env.apply(variable);
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException(WebhookDeployer.ID + ": secret_env names the environment variable " + variable
                        + ", which is not set in the platform's environment");
            }
        }
        long attempts = settings.integer("max_attempts");
        if (attempts < 1 || attempts > 100) {
            throw new IllegalArgumentException(WebhookDeployer.ID + ": max_attempts must be between 1 and 100, got " + attempts);
        }
        Duration timeout = settings.duration("timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException(WebhookDeployer.ID + ": timeout must be positive, got " + timeout);
        }
        return new WebhookOptions(uri, shown(uri), secret == null || secret.isEmpty() ? null : secret, (int) attempts,
                settings.duration("initial_backoff"), settings.duration("max_backoff"), timeout);
    }

    /** The wait after failed attempt {@code attempt} (1-based): initial × 2^(attempt−1), capped. */
    Duration backoff(int attempt) {
        long millis = initialBackoff.toMillis();
        for (int i = 1; i < attempt && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    private static String shown(URI uri) {
        String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
        return (uri.getScheme() == null ? "" : uri.getScheme() + "://") + (uri.getHost() == null ? "" : uri.getHost()) + port
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
