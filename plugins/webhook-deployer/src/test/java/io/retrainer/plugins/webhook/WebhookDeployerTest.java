package io.retrainer.plugins.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.retrainer.api.ArtifactSource;
import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.DeploymentResult;
import io.retrainer.api.ModelRef;
import io.retrainer.api.Schema;
import io.retrainer.api.testing.TestStageContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookDeployerTest {
    private static final String SECRET = "hush-hush";
    private static final ModelRef V3 = new ModelRef("churn", 3, "tribuo-logistic-regression", "ab".repeat(32),
            new Schema(List.of(new Column("tenure", ColumnType.NUMERIC), new Column("plan", ColumnType.CATEGORICAL)), null));

    private final WebhookDeployer deployer = new WebhookDeployer();
    private HttpServer server;
    private final Receiver receiver = new Receiver();

    /** One scripted answer: status, body, optional Retry-After, and how long to stall before answering. */
    private record Answer(int status, String body, String retryAfter, long stallMillis) {
        static Answer of(int status, String body) {
            return new Answer(status, body, null, 0);
        }
    }

    /** A request as the receiver saw it. */
    private record Received(String method, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Answers from a script (then 200), recording every request. */
    private static final class Receiver {
        final Deque<Answer> script = new ArrayDeque<>();
        final List<Received> requests = Collections.synchronizedList(new ArrayList<>());
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hooks/model", exchange -> {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            receiver.requests.add(new Received(exchange.getRequestMethod(), headers, exchange.getRequestBody().readAllBytes()));
            Answer answer;
            synchronized (receiver.script) {
                answer = receiver.script.isEmpty() ? Answer.of(200, "ok") : receiver.script.poll();
            }
            if (answer.stallMillis() > 0) {
                try {
                    Thread.sleep(answer.stallMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/model?token=abc";
    }

    private TestStageContext context(Object... extra) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("url", url());
        config.put("secret", SECRET);
        config.put("initial_backoff", "10ms");
        for (int i = 0; i < extra.length; i += 2) {
            config.put((String) extra[i], extra[i + 1]);
        }
        return TestStageContext.of(deployer.configSpec(), config);
    }

    @Test
    void twoFailuresThenSuccessDeliversOneSignedEvent() throws Exception {
        receiver.script.add(Answer.of(500, "boom"));
        receiver.script.add(Answer.of(503, ""));
        TestStageContext context = context();
        DeploymentResult result = deployer.deploy(V3, context);

        assertEquals(3, receiver.requests.size());
        for (Received r : receiver.requests) {
            assertEquals("POST", r.method());
            assertEquals("application/json", r.header("Content-Type"));
            assertEquals("model_ready", r.header("X-Retrainer-Event"));
            // the signature is the HMAC-SHA256 of exactly the bytes received, computed independently here
            assertEquals("sha256=" + hmac(SECRET, r.body()), r.header("X-Retrainer-Signature"));
        }
        assertEquals(1, receiver.requests.stream().map(r -> r.header("X-Retrainer-Delivery")).distinct().count(),
                "every attempt carries the same delivery id");
        assertEquals(receiver.requests.get(0).text(), receiver.requests.get(2).text(), "retries resend the same body");

        String body = receiver.requests.get(2).text();
        assertTrue(body.startsWith("{\"event\":\"model_ready\",\"delivery_id\":\"" + receiver.requests.get(2).header("X-Retrainer-Delivery")
                + "\",\"timestamp\":\""), body);
        assertTrue(body.contains("\"model\":\"churn\",\"version\":3,\"format\":\"tribuo-logistic-regression\",\"sha256\":\""
                + "ab".repeat(32) + "\",\"input_schema\":[{\"name\":\"tenure\",\"type\":\"numeric\"},{\"name\":\"plan\",\"type\":\"categorical\"}]"),
                body);

        assertEquals("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/model", result.target(), "no query token in the result");
        assertTrue(result.message().endsWith("(HTTP 200, attempt 3 of 5)"), result.message());
        List<String> warnings = context.logLines().stream().filter(l -> l.startsWith("WARN")).toList();
        assertEquals(2, warnings.size(), context.logLines().toString());
        assertTrue(warnings.get(0).contains("attempt 1 of 5") && warnings.get(0).contains("HTTP 500: boom")
                && warnings.get(0).endsWith("trying again in 10 ms"), warnings.get(0));
        assertTrue(warnings.get(1).endsWith("trying again in 20 ms"), "the backoff doubles: " + warnings.get(1));
        assertFalse(String.join("\n", context.logLines()).contains("token=abc"), "the URL's query may hold a token");
    }

    @Test
    void aBadRequestFailsAtOnceWithTheStatusAndBody() {
        receiver.script.add(Answer.of(400, "{\"error\": \"unknown model   churn\"}"));
        String message = assertThrows(IOException.class, () -> deployer.deploy(V3, context())).getMessage();
        assertEquals(1, receiver.requests.size());
        assertEquals("webhook: http://127.0.0.1:" + server.getAddress().getPort()
                + "/hooks/model refused the model_ready event with HTTP 400: {\"error\": \"unknown model churn\"}", message);
    }

    @Test
    void tooManyRequestsAndTimeoutsAreRetried() throws Exception {
        receiver.script.add(new Answer(429, "slow down", "0", 0));
        receiver.script.add(new Answer(200, "late", null, 2_000));
        receiver.script.add(Answer.of(202, "accepted"));
        DeploymentResult result = deployer.deploy(V3, context("timeout", "300ms"));
        assertEquals(3, receiver.requests.size());
        assertTrue(result.message().endsWith("(HTTP 202, attempt 3 of 5)"), result.message());
    }

    @Test
    void givesUpAfterMaxAttemptsNamingTheLastProblem() {
        for (int i = 0; i < 3; i++) {
            receiver.script.add(Answer.of(502, "bad gateway"));
        }
        String message = assertThrows(IOException.class, () -> deployer.deploy(V3, context("max_attempts", 3))).getMessage();
        assertEquals(3, receiver.requests.size());
        assertTrue(message.startsWith("webhook: gave up delivering the model_ready event to http://127.0.0.1:"), message);
        assertTrue(message.endsWith("after 3 attempt(s); last: HTTP 502: bad gateway"), message);
    }

    @Test
    void aRefusedConnectionIsRetriedThenReported() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String message = assertThrows(IOException.class, () -> deployer.deploy(V3, context("url",
                "http://127.0.0.1:" + closedPort + "/x", "max_attempts", 2))).getMessage();
        assertTrue(message.contains("after 2 attempt(s); last: cannot connect"), message);
    }

    @Test
    void cancellationStopsTheBackoff() throws Exception {
        for (int i = 0; i < 5; i++) {
            receiver.script.add(Answer.of(500, "down"));
        }
        TestStageContext context = context("initial_backoff", "30s");
        CountDownLatch firstAttempt = new CountDownLatch(1);
        Thread canceller = new Thread(() -> {
            while (receiver.requests.isEmpty()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ex) {
                    return;
                }
            }
            firstAttempt.countDown();
            context.cancel();
        });
        canceller.start();
        CancellationException e = assertThrows(CancellationException.class, () -> deployer.deploy(V3, context));
        assertTrue(firstAttempt.await(5, TimeUnit.SECONDS));
        assertEquals(1, receiver.requests.size(), "no attempt after the cancellation");
        assertTrue(e.getMessage().startsWith("webhook: cancelled before attempt 2"), e.getMessage());
    }

    @Test
    void rollbackAnnouncesThePreviousVersionAndMetadataRidesAlong() throws Exception {
        ArtifactSource registry = new ArtifactSource() {
            @Override
            public byte[] read(ModelRef model) {
                throw new AssertionError("the webhook never needs the artifact");
            }

            @Override
            public Map<String, Object> metadata(ModelRef model) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("stage", "production");
                m.put("pipeline", "churn");
                m.put("metrics", Map.of("values", Map.of("accuracy", 0.91)));
                m.put("lineage", Map.of("data_fingerprint", "f00d"));
                return m;
            }
        };
        deployer.rollback(V3, context().withService(ArtifactSource.class, registry));
        Received r = receiver.requests.get(0);
        assertEquals("model_rollback", r.header("X-Retrainer-Event"));
        assertTrue(r.text().contains("\"pipeline\":\"churn\",\"metrics\":{\"values\":{\"accuracy\":0.91}},\"lineage\":{\"data_fingerprint\":\"f00d\"}"),
                r.text());
        assertFalse(r.text().contains("\"stage\""), r.text());
    }

    @Test
    void unsignedWhenNoSecretAndSecretFromTheEnvironment() throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put("url", url());
        TestStageContext context = TestStageContext.of(deployer.configSpec(), config);
        deployer.deploy(V3, context);
        assertNull(receiver.requests.get(0).header("X-Retrainer-Signature"));
        assertTrue(context.logLines().stream().anyMatch(l -> l.startsWith("WARN no secret")), context.logLines().toString());

        config.put("secret_env", "HOOK_SECRET");
        var settings = deployer.configSpec().resolve(config, "config");
        assertEquals("from-env", WebhookOptions.from(settings, Map.of("HOOK_SECRET", "from-env")::get).secret());
        assertEquals("webhook: secret_env names the environment variable HOOK_SECRET, which is not set in the platform's environment",
                assertThrows(IllegalArgumentException.class, () -> WebhookOptions.from(settings, name -> null)).getMessage());
        config.put("secret", "x");
        assertEquals("webhook: give secret or secret_env, not both", assertThrows(IllegalArgumentException.class,
                () -> WebhookOptions.from(deployer.configSpec().resolve(config, "config"), name -> "y")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WebhookOptions.from(deployer.configSpec().resolve(
                Map.of("url", "ftp://host/x"), "config"))).getMessage().startsWith("webhook: url must be an absolute http://"));
    }

    @Test
    void backoffDoublesUpToTheCap() {
        WebhookOptions o = WebhookOptions.from(deployer.configSpec().resolve(Map.of("url", "http://h/x"), "config"));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30)),
                List.of(o.backoff(1), o.backoff(2), o.backoff(3), o.backoff(4), o.backoff(5), o.backoff(6), o.backoff(40)));
        assertEquals(5, o.maxAttempts());
    }

    private static String hmac(String secret, byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        StringBuilder hex = new StringBuilder();
        for (byte b : mac.doFinal(body)) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
