package io.retrainer.core.registry;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Model artifacts stored by content: the file name is the SHA-256 of the bytes, and every read
 * checks the bytes still hash to it, so a corrupted artifact is never served. Writes go through
 * a temporary file and an atomic rename, so readers never see half a file.
 */
public final class ArtifactStore {
    private final Path root;

    /** A store under {@code root} (created if needed). */
    public ArtifactStore(Path root) {
        this.root = root;
    }

    /** Stores {@code bytes} and returns their SHA-256 (hex). Storing the same bytes twice is a no-op. */
    public String put(byte[] bytes) throws IOException {
        String sha = sha256(bytes);
        Path target = pathOf(sha);
        if (Files.exists(target)) {
            return sha;
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), sha, ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return sha;
    }

    /**
     * Reads the artifact with hash {@code sha256}.
     *
     * @throws IOException if it is missing or its content no longer matches the hash
     */
    public byte[] get(String sha256) throws IOException {
        Path p = pathOf(sha256);
        if (!Files.exists(p)) {
            throw new IOException("artifact " + sha256 + " is missing from the store at " + root);
        }
        byte[] bytes = Files.readAllBytes(p);
        String actual = sha256(bytes);
        if (!actual.equals(sha256)) {
            throw new IOException("artifact " + sha256 + " is corrupt: its content hashes to " + actual);
        }
        return bytes;
    }

    Path pathOf(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /** The hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
