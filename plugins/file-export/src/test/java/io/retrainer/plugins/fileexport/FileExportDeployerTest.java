package io.retrainer.plugins.fileexport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.api.ArtifactSource;
import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.DeploymentResult;
import io.retrainer.api.ModelRef;
import io.retrainer.api.Schema;
import io.retrainer.api.testing.TestStageContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileExportDeployerTest {
    private static final Schema INPUTS = new Schema(List.of(new Column("tenure", ColumnType.NUMERIC),
            new Column("plan", ColumnType.CATEGORICAL)), null);

    private final FileExportDeployer deployer = new FileExportDeployer();
    private final Registry registry = new Registry();

    @TempDir
    Path dir;

    /** Stands in for the host's registry: artifacts by hash, and metadata per version. */
    private static final class Registry implements ArtifactSource {
        final Map<String, byte[]> store = Collections.synchronizedMap(new HashMap<>());
        final AtomicInteger reads = new AtomicInteger();
        RuntimeException metadataFailure;

        ModelRef register(String model, int version, String format, byte[] bytes) {
            String sha = sha256(bytes);
            store.put(sha, bytes);
            return new ModelRef(model, version, format, sha, INPUTS);
        }

        @Override
        public byte[] read(ModelRef model) throws IOException {
            reads.incrementAndGet();
            byte[] b = store.get(model.artifactSha256());
            if (b == null) {
                throw new IOException("no artifact " + model.artifactSha256());
            }
            return b;
        }

        @Override
        public Map<String, Object> metadata(ModelRef model) {
            if (metadataFailure != null) {
                throw metadataFailure;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", "candidate");
            m.put("created", "2026-05-01T10:00:00Z");
            m.put("pipeline", "churn");
            m.put("run_id", 17L);
            m.put("metrics", Map.of("values", Map.of("roc_auc", 0.97)));
            m.put("lineage", Map.of("data_fingerprint", "f00d", "seed", 42));
            return m;
        }
    }

    private TestStageContext context(Object... extra) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("directory", dir.resolve("exports").toString());
        for (int i = 0; i < extra.length; i += 2) {
            config.put((String) extra[i], extra[i + 1]);
        }
        return TestStageContext.of(deployer.configSpec(), config).withService(ArtifactSource.class, registry);
    }

    private Path modelDir(String name) {
        return dir.resolve("exports").resolve(name);
    }

    private static List<String> listing(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void exportWritesArtifactMetadataAndLatest() throws Exception {
        byte[] bytes = "model bytes v1".getBytes(StandardCharsets.UTF_8);
        ModelRef v1 = registry.register("churn", 1, "tribuo-logistic-regression", bytes);
        DeploymentResult result = deployer.deploy(v1, context());

        Path version = modelDir("churn").resolve("v1");
        assertEquals(version.toString(), result.target());
        assertEquals(List.of("latest", "v1"), listing(modelDir("churn")), "no temporary files are left");
        assertEquals(List.of("metadata.json", "model.bin"), listing(version));
        assertArrayEquals(bytes, Files.readAllBytes(version.resolve("model.bin")));
        assertEquals("v1\n", Files.readString(modelDir("churn").resolve("latest")));

        String metadata = Files.readString(version.resolve("metadata.json"));
        assertTrue(metadata.startsWith("{\n  \"model\": \"churn\",\n  \"version\": 1,\n  \"format\": \"tribuo-logistic-regression\",\n"
                + "  \"sha256\": \"" + v1.artifactSha256() + "\",\n  \"size_bytes\": " + bytes.length + ",\n  \"artifact\": \"model.bin\",\n"
                + "  \"onnx\": null,\n  \"onnx_note\": \"format 'tribuo-logistic-regression' has no ONNX export"), metadata);
        assertTrue(metadata.contains("\"input_schema\": [\n    {\n      \"name\": \"tenure\",\n      \"type\": \"numeric\"\n    },"), metadata);
        assertTrue(metadata.contains("\"pipeline\": \"churn\",\n  \"run_id\": 17,\n  \"created\": \"2026-05-01T10:00:00Z\",\n"
                + "  \"metrics\": {\n    \"values\": {\n      \"roc_auc\": 0.97\n    }\n  },"), metadata);
        assertTrue(metadata.contains("\"data_fingerprint\": \"f00d\""), metadata);
        assertFalse(metadata.contains("\"stage\""), "the stage is mid-change during a deployment: " + metadata);
    }

    @Test
    void newVersionsMoveLatestAndRollbackMovesItBack() throws Exception {
        ModelRef v1 = registry.register("churn", 1, "f", new byte[] {1});
        ModelRef v2 = registry.register("churn", 2, "f", new byte[] {2});
        deployer.deploy(v1, context());
        deployer.deploy(v2, context());
        assertEquals("v2\n", Files.readString(modelDir("churn").resolve("latest")));
        assertEquals(List.of("latest", "v1", "v2"), listing(modelDir("churn")));

        int readsBefore = registry.reads.get();
        TestStageContext rollback = context();
        deployer.rollback(v1, rollback);
        assertEquals("v1\n", Files.readString(modelDir("churn").resolve("latest")));
        assertEquals(readsBefore, registry.reads.get(), "v1 is already there: not read or written again");
        assertTrue(rollback.logLines().stream().anyMatch(l -> l.contains("names v1 (churn v1) again")), rollback.logLines().toString());
    }

    @Test
    void rollbackExportsAVersionThatWasNeverExported() throws Exception {
        ModelRef v4 = registry.register("churn", 4, "f", new byte[] {4});
        deployer.rollback(v4, context("name", "churn-eu"));
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(modelDir("churn-eu").resolve("v4/model.bin")));
        assertEquals("v4\n", Files.readString(modelDir("churn-eu").resolve("latest")));
    }

    @Test
    void anotherArtifactUnderTheSameVersionIsRefusedAndLeftAlone() throws Exception {
        deployer.deploy(registry.register("churn", 1, "f", new byte[] {1}), context());
        ModelRef impostor = registry.register("churn", 1, "f", new byte[] {9});
        String message = assertThrows(IOException.class, () -> deployer.deploy(impostor, context())).getMessage();
        assertTrue(message.contains("v1 already holds another artifact"), message);
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(modelDir("churn").resolve("v1/model.bin")));
    }

    @Test
    void aCorruptArtifactWritesNothing() throws Exception {
        ModelRef v1 = registry.register("churn", 1, "f", new byte[] {1});
        registry.store.put(v1.artifactSha256(), new byte[] {1, 2});
        String message = assertThrows(IOException.class, () -> deployer.deploy(v1, context())).getMessage();
        assertTrue(message.contains("has SHA-256") && message.contains("not the registered " + v1.artifactSha256()), message);
        assertEquals(List.of(), listing(modelDir("churn")));
    }

    @Test
    void cancellationBeforePublishingLeavesNoTrace() throws Exception {
        deployer.deploy(registry.register("churn", 1, "f", new byte[] {1}), context());
        TestStageContext context = context();
        context.cancel();
        assertThrows(CancellationException.class, () -> deployer.deploy(registry.register("churn", 2, "f", new byte[] {2}), context));
        assertEquals(List.of("latest", "v1"), listing(modelDir("churn")));
        assertEquals("v1\n", Files.readString(modelDir("churn").resolve("latest")));
    }

    @Test
    void leftoversOfACrashedExportAreRemoved() throws Exception {
        Path stale = Files.createDirectories(modelDir("churn").resolve(".v1.tmp-crashed"));
        Files.write(stale.resolve("model.bin"), new byte[] {7});
        TestStageContext context = context();
        deployer.deploy(registry.register("churn", 1, "f", new byte[] {1}), context);
        assertEquals(List.of("latest", "v1"), listing(modelDir("churn")));
        assertTrue(context.logLines().stream().anyMatch(l -> l.startsWith("WARN removing ") && l.contains(".v1.tmp-crashed")));
    }

    @Test
    void onnxModelsAreAlsoOfferedAsModelOnnx() throws Exception {
        deployer.deploy(registry.register("iris", 1, "onnx", new byte[] {8, 8}), context());
        Path v1 = modelDir("iris").resolve("v1");
        assertArrayEquals(new byte[] {8, 8}, Files.readAllBytes(v1.resolve("model.onnx")));
        String metadata = Files.readString(v1.resolve("metadata.json"));
        assertTrue(metadata.contains("\"onnx\": \"model.onnx\",\n  \"input_schema\""), metadata);
    }

    @Test
    void missingRegistryMetadataStillExportsTheModel() throws Exception {
        registry.metadataFailure = new IllegalStateException("database unavailable");
        TestStageContext context = context();
        deployer.deploy(registry.register("churn", 1, "f", new byte[] {1}), context);
        String metadata = Files.readString(modelDir("churn").resolve("v1/metadata.json"));
        assertTrue(metadata.contains("\"metadata_error\": \"database unavailable\""), metadata);
        assertTrue(context.logLines().stream().anyMatch(l -> l.startsWith("WARN metrics and lineage of churn v1")));
    }

    @Test
    void badNamesAndAMissingHostServiceAreExplained() {
        ModelRef odd = registry.register("../etc", 1, "f", new byte[] {1});
        String message = assertThrows(IllegalArgumentException.class, () -> deployer.deploy(odd, context())).getMessage();
        assertEquals("file-export: '../etc' cannot be a directory name: use letters, digits, '.', '_' and '-', starting with a letter "
                + "or digit (set 'name' for this model)", message);

        TestStageContext bare = TestStageContext.of(deployer.configSpec(), Map.of("directory", dir.toString()));
        String noHost = assertThrows(IllegalStateException.class,
                () -> deployer.deploy(registry.register("churn", 1, "f", new byte[] {1}), bare)).getMessage();
        assertTrue(noHost.startsWith("file-export: the host offers no artifact source"), noHost);
    }

    /**
     * A reader polling while versions are exported one after another only ever finds complete
     * versions: whatever {@code latest} names has its whole artifact and metadata, and any
     * {@code v<n>} directory it lists is complete. Checks the property, not how long anything takes.
     */
    @Test
    void readersNeverSeeAHalfWrittenModel() throws Exception {
        int versions = 25;
        List<ModelRef> refs = new ArrayList<>();
        for (int v = 1; v <= versions; v++) {
            byte[] bytes = new byte[512 * 1024];
            java.util.Arrays.fill(bytes, (byte) v);
            refs.add(registry.register("big", v, "f", bytes));
        }
        Path modelDir = modelDir("big");
        AtomicBoolean done = new AtomicBoolean();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger observations = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    Path latest = modelDir.resolve("latest");
                    if (Files.exists(latest)) {
                        String name = Files.readString(latest).trim();
                        checkComplete(modelDir.resolve(name), problems);
                        observations.incrementAndGet();
                    }
                    if (Files.isDirectory(modelDir)) {
                        for (String entry : listing(modelDir)) {
                            if (entry.matches("v\\d+")) {
                                checkComplete(modelDir.resolve(entry), problems);
                            }
                        }
                    }
                } catch (NoSuchFileException e) {
                    // only the hidden temporary entries may vanish between listing and reading; listed
                    // versions never do, and checkComplete reports those itself
                } catch (IOException e) {
                    problems.add(e.toString());
                }
            }
        });
        reader.start();
        for (ModelRef ref : refs) {
            deployer.deploy(ref, context());
        }
        done.set(true);
        reader.join();
        assertEquals(List.of(), problems);
        assertTrue(observations.get() > 0, "the reader observed the directory at least once");
        assertEquals("v" + versions + "\n", Files.readString(modelDir.resolve("latest")));
    }

    private static void checkComplete(Path version, List<String> problems) {
        try {
            byte[] artifact = Files.readAllBytes(version.resolve("model.bin"));
            String metadata = Files.readString(version.resolve("metadata.json"));
            if (artifact.length != 512 * 1024) {
                problems.add(version + ": model.bin has " + artifact.length + " bytes");
            } else if (!metadata.contains("\"sha256\": \"" + sha256(artifact) + "\"") || !metadata.endsWith("}\n")) {
                problems.add(version + ": metadata.json does not match model.bin or is cut short");
            }
        } catch (IOException e) {
            problems.add(version + ": " + e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
