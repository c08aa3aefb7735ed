package io.retrainer.plugins.fileexport;

import io.retrainer.api.ArtifactSource;
import io.retrainer.api.Column;
import io.retrainer.api.ModelRef;
import io.retrainer.api.StageContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

/**
 * Writes one model version under a model directory, all or nothing, and moves the {@code latest}
 * pointer. Everything is written and flushed to disk in a temporary directory first; a single
 * rename then makes the version visible, so a reader sees either no {@code v<n>} or a complete one.
 */
final class Exporter {
    static final String ARTIFACT = "model.bin";
    static final String ONNX = "model.onnx";
    static final String METADATA = "metadata.json";
    static final String LATEST = "latest";

    private final Path modelDir;
    private final ArtifactSource artifacts;
    private final StageContext context;

    Exporter(Path modelDir, ArtifactSource artifacts, StageContext context) {
        this.modelDir = modelDir;
        this.artifacts = artifacts;
        this.context = context;
    }

    /**
     * Exports {@code model} unless that version is already there with the same artifact, then
     * points {@code latest} at it.
     *
     * @return the version directory
     * @throws IOException if writing fails, or the version directory holds another artifact
     */
    Path export(ModelRef model) throws IOException {
        Files.createDirectories(modelDir);
        String versionName = "v" + model.version();
        Path target = modelDir.resolve(versionName);
        if (Files.exists(target)) {
            requireSameArtifact(target, model);
            context.log().info(target + " already holds " + model + "; only " + LATEST + " is updated");
        } else {
            write(model, target);
        }
        pointLatestAt(versionName);
        return target;
    }

    private void write(ModelRef model, Path target) throws IOException {
        removeLeftovers(target.getFileName().toString());
        byte[] artifact = artifacts.read(model);
        // The host checks the hash when it reads; checking again here costs little and makes the
        // promise in metadata.json this plugin's own.
        String sha = sha256(artifact);
        if (model.artifactSha256() != null && !sha.equals(model.artifactSha256())) {
            throw new IOException(FileExportDeployer.ID + ": the artifact of " + model + " has SHA-256 " + sha + ", not the registered "
                    + model.artifactSha256() + "; nothing was exported");
        }
        Path tmp = modelDir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.createDirectory(tmp);
        try {
            writeDurably(tmp.resolve(ARTIFACT), artifact);
            boolean onnx = isOnnx(model.format());
            if (onnx) {
                writeDurably(tmp.resolve(ONNX), artifact);
            }
            writeDurably(tmp.resolve(METADATA), Json.pretty(metadata(model, sha, artifact.length, onnx)).getBytes(StandardCharsets.UTF_8));
            syncDirectory(tmp);
            if (context.isCancelled()) {
                throw new CancellationException(FileExportDeployer.ID + ": cancelled before " + target + " was made visible");
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(FileExportDeployer.ID + ": " + modelDir + " does not support atomic renames; export to a local file system", e);
            } catch (FileSystemException e) {
                if (!Files.exists(target)) {
                    throw e;
                }
                // Another export of the same version got there first (rename fails on a non-empty
                // directory); fine if it holds the same artifact.
                requireSameArtifact(target, model);
            }
            syncDirectory(modelDir);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Replaces {@code latest} by renaming a complete temporary file over it: readers see the old or the new name. */
    private void pointLatestAt(String versionName) throws IOException {
        Path latest = modelDir.resolve(LATEST);
        Path tmp = modelDir.resolve("." + LATEST + ".tmp-" + UUID.randomUUID());
        try {
            writeDurably(tmp, (versionName + "\n").getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, latest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(modelDir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Map<String, Object> metadata(ModelRef model, String sha, long size, boolean onnx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.model());
        m.put("version", model.version());
        m.put("format", model.format());
        m.put("sha256", sha);
        m.put("size_bytes", size);
        m.put("artifact", ARTIFACT);
        m.put("onnx", onnx ? ONNX : null);
        if (!onnx) {
            m.put("onnx_note", "format '" + model.format() + "' has no ONNX export; only the native artifact is written");
        }
        List<Map<String, Object>> columns = new ArrayList<>();
        if (model.inputSchema() != null) {
            for (Column c : model.inputSchema().columns()) {
                Map<String, Object> col = new LinkedHashMap<>();
                col.put("name", c.name());
                col.put("type", c.type().name().toLowerCase(Locale.ROOT));
                columns.add(col);
            }
        }
        m.put("input_schema", columns);
        m.put("exported_at", Instant.now().toString());
        Map<String, Object> registry;
        try {
            registry = artifacts.metadata(model);
        } catch (RuntimeException e) {
            // The model itself is what matters; say in the log and the file why the rest is missing.
            context.log().warn("metrics and lineage of " + model + " are not in " + METADATA + ": " + e.getMessage());
            registry = Map.of();
            m.put("metadata_error", String.valueOf(e.getMessage()));
        }
        // Not the stage: the registry is mid-deployment and the stage is about to change.
        for (String key : List.of("pipeline", "run_id", "created", "metrics", "lineage")) {
            if (registry.containsKey(key)) {
                m.put(key, registry.get(key));
            }
        }
        return m;
    }

    /** Whether the artifact itself is an ONNX model, so it can be offered under its usual name. */
    static boolean isOnnx(String format) {
        return format.toLowerCase(Locale.ROOT).startsWith("onnx");
    }

    private void requireSameArtifact(Path target, ModelRef model) throws IOException {
        Path artifact = target.resolve(ARTIFACT);
        String existing = Files.isRegularFile(artifact) ? sha256(artifact) : "(no " + ARTIFACT + ")";
        if (model.artifactSha256() != null && !existing.equals(model.artifactSha256())) {
            throw new IOException(FileExportDeployer.ID + ": " + target + " already holds another artifact (SHA-256 " + existing
                    + ", but " + model + " has " + model.artifactSha256() + "); export to another directory or name");
        }
    }

    /** Temporary directories of this version left by an export that crashed. */
    private void removeLeftovers(String versionName) throws IOException {
        List<Path> stale;
        try (Stream<Path> entries = Files.list(modelDir)) {
            stale = entries.filter(p -> p.getFileName().toString().startsWith("." + versionName + ".tmp-")).toList();
        }
        for (Path p : stale) {
            context.log().warn("removing " + p + ", left by an export that did not finish");
            deleteTree(p);
        }
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            // On disk before the rename that publishes it, so a crash cannot publish an empty file.
            ch.force(true);
        }
    }

    /** Flushes a directory's entries (the renames) where the platform allows opening a directory. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not supported on every OS and file system; the rename is still atomic, only less durable.
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest d = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }
}
