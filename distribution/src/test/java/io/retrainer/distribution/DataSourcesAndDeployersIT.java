package io.retrainer.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.retrainer.core.persistence.TestDatabases;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The postgres and csv (directory of gzip files) sources and the file-export and webhook
 * deployers, loaded from their jars through PF4J in the assembled distribution, each in a real
 * pipeline run: the sources feed training, the deployers receive the registered version.
 */
class DataSourcesAndDeployersIT {
    private static final String SECRET = "it-secret";

    @Test
    void postgresSourceFeedsAFileExportAndAGzipDirectoryFeedsAWebhook() throws Exception {
        try (Installation app = Installation.start(true)) {
            Http http = app.http;
            String listed = http.get("/api/plugins").body();
            for (String id : List.of("\"postgres\"", "\"file-export\"", "\"webhook\"")) {
                assertTrue(listed.contains(id), id + " in " + listed);
            }

            // --- postgres → file-export, on a table in the platform's own (fresh) test database
            List<String> lines = Files.readAllLines(app.breastCancerCsv());
            String header = lines.get(0);
            StringBuilder ddl = new StringBuilder("create table bc (id serial primary key");
            for (String name : header.split(",")) {
                ddl.append(", ").append(name).append(name.equals("diagnosis") ? " text" : " double precision");
            }
            TestDatabases.execute(app.dbUrl, ddl.append(")").toString());
            StringBuilder insert = new StringBuilder("insert into bc (" + header + ") values ");
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",");
                insert.append(i > 1 ? ",(" : "(").append(String.join(",", java.util.Arrays.copyOf(f, 30)))
                        .append(",'").append(f[30]).append("')");
            }
            TestDatabases.execute(app.dbUrl, insert.toString());
            Path exports = app.dataDir.resolve("exports");
            String pgPipeline = """
                    name: bc-pg
                    source: { plugin: postgres, config: { url: "%s", query: "select %s from bc order by id", label: diagnosis, fetch_size: 100 } }
                    split: { strategy: holdout, test_fraction: 0.2 }
                    train: { plugin: logistic-regression, config: { epochs: 20 } }
                    evaluate:
                      - plugin: classification-metrics
                      - plugin: champion-gate
                        config: { metric: roc_auc, min_improvement: 0.0 }
                    deploy: { plugin: file-export, config: { directory: "%s" } }
                    """.formatted(app.dbUrl, header, exports);
            Http.Response created = http.post("/api/pipelines", "application/yaml", pgPipeline);
            assertEquals(201, created.status(), created.body());
            JsonObject run = EndToEndIT.awaitRun(http, http.post("/api/pipelines/bc-pg/runs", null, "").json().getLong("id"));
            assertEquals("succeeded", run.getString("status"), run.encodePrettily());

            JsonObject v1 = http.get("/api/models/bc-pg/versions/1").json();
            assertEquals("v1\n", Files.readString(exports.resolve("bc-pg/latest")));
            byte[] artifact = Files.readAllBytes(exports.resolve("bc-pg/v1/model.bin"));
            assertEquals(v1.getJsonObject("artifact").getString("sha256"), sha256(artifact), v1.encode());
            JsonObject metadata = new JsonObject(Files.readString(exports.resolve("bc-pg/v1/metadata.json")));
            assertEquals("bc-pg", metadata.getString("model"));
            assertEquals(sha256(artifact), metadata.getString("sha256"));
            assertEquals(30, metadata.getJsonArray("input_schema").size());
            assertTrue(metadata.getJsonObject("metrics").getJsonObject("values").getDouble("roc_auc") > 0.9, metadata.encode());
            String fingerprint = metadata.getJsonObject("lineage").encode();
            assertTrue(fingerprint.matches(".*[0-9a-f]{64}.*"), "the postgres fingerprint is in the lineage: " + fingerprint);

            // --- csv directory of gzip files → webhook that fails once
            Path parts = Files.createDirectories(app.dataDir.resolve("parts"));
            for (int p = 0; p < 2; p++) {
                List<String> part = new ArrayList<>();
                part.add(header);
                part.addAll(lines.subList(p == 0 ? 1 : 300, p == 0 ? 300 : lines.size()));
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(parts.resolve("part-" + p + ".csv.gz")))) {
                    out.write((String.join("\n", part) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
            List<String> signatures = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger calls = new AtomicInteger();
            HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            receiver.createContext("/ready", exchange -> {
                bodies.add(exchange.getRequestBody().readAllBytes());
                signatures.add(exchange.getRequestHeaders().getFirst("X-Retrainer-Signature"));
                exchange.sendResponseHeaders(calls.incrementAndGet() == 1 ? 503 : 204, -1);
                exchange.close();
            });
            receiver.start();
            try {
                String csvPipeline = """
                        name: bc-csv
                        source: { plugin: csv, config: { path: "%s", label: diagnosis } }
                        train: { plugin: logistic-regression, config: { epochs: 20 } }
                        evaluate:
                          - plugin: classification-metrics
                        deploy: { plugin: webhook, config: { url: "http://127.0.0.1:%d/ready", secret: %s, initial_backoff: 50ms } }
                        """.formatted(parts, receiver.getAddress().getPort(), SECRET);
                created = http.post("/api/pipelines", "application/yaml", csvPipeline);
                assertEquals(201, created.status(), created.body());
                run = EndToEndIT.awaitRun(http, http.post("/api/pipelines/bc-csv/runs", null, "").json().getLong("id"));
                assertEquals("succeeded", run.getString("status"), run.encodePrettily());
            } finally {
                receiver.stop(0);
            }
            assertEquals(2, bodies.size(), "one failed attempt, one delivered");
            JsonObject event = new JsonObject(new String(bodies.get(1), StandardCharsets.UTF_8));
            assertEquals("sha256=" + hmac(bodies.get(1)), signatures.get(1));
            assertEquals("model_ready", event.getString("event"));
            assertEquals("bc-csv", event.getString("model"));
            assertEquals(1, event.getInteger("version"));
            JsonObject csvVersion = http.get("/api/models/bc-csv/versions/1").json();
            assertEquals(csvVersion.getJsonObject("artifact").getString("sha256"), event.getString("sha256"));
            assertTrue(event.getJsonObject("metrics").getJsonObject("values").containsKey("accuracy"), event.encode());
            String log = run.encode();
            assertTrue(log.contains("loaded 569 rows, 31 columns from 2 file(s) at " + parts), "source log names the files");
            assertTrue(log.contains("(HTTP 204, attempt 2 of 5)"), "deploy log says how it went");
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
