package io.retrainer.core.pipeline;

import io.retrainer.api.Settings;
import io.retrainer.api.StageContext;
import io.retrainer.api.StageLog;
import io.retrainer.core.persistence.Db;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link StageContext} the host gives a stage. Log lines and progress are buffered and
 * written to the stage's row at most every {@value #FLUSH_INTERVAL_MS} ms (and at the end), so a
 * chatty plugin costs few database writes but the console still sees it live.
 */
final class HostStageContext implements StageContext {
    private static final long FLUSH_INTERVAL_MS = 250;

    private final RunService runs;
    private final long runId;
    private final int position;
    private final Settings settings;
    private final long seed;
    private final Random random;
    private final Path scratchRoot;
    private final AtomicBoolean cancelled;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Map<Class<?>, Object> services;
    private final StringBuilder pending = new StringBuilder();
    private Path scratch;
    private double progress;
    private String progressMessage;
    private long lastFlush;

    HostStageContext(RunService runs, long runId, int position, Settings settings, long seed, Path scratchRoot,
                     AtomicBoolean cancelled, Map<Class<?>, Object> services) {
        this.runs = runs;
        this.runId = runId;
        this.position = position;
        this.settings = settings;
        this.seed = seed;
        // Each stage gets its own stream derived from the run seed, so adding a stage does not
        // change the random numbers another stage sees.
        this.random = new Random(seed * 31 + position);
        this.scratchRoot = scratchRoot;
        this.cancelled = cancelled;
        this.services = services;
        // The stage's first lines ride along with its final status unless it runs long enough to flush.
        this.lastFlush = System.currentTimeMillis();
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public StageLog log() {
        return new StageLog() {
            @Override
            public void info(String message) {
                append("INFO", message);
            }

            @Override
            public void warn(String message) {
                append("WARN", message);
            }

            @Override
            public void error(String message) {
                append("ERROR", message);
            }
        };
    }

    void append(String level, String message) {
        synchronized (pending) {
            pending.append(Instant.now()).append(' ').append(level).append(' ').append(message).append('\n');
        }
        maybeFlush();
    }

    @Override
    public void progress(double fraction, String message) {
        synchronized (pending) {
            progress = Math.max(0, Math.min(1, fraction));
            progressMessage = message;
        }
        maybeFlush();
    }

    private void maybeFlush() {
        long now = System.currentTimeMillis();
        if (now - lastFlush >= FLUSH_INTERVAL_MS) {
            lastFlush = now;
            String chunk;
            double p;
            String m;
            synchronized (pending) {
                chunk = pending.toString();
                pending.setLength(0);
                p = progress;
                m = progressMessage;
            }
            Db.await(runs.stageProgress(runId, position, chunk, p, m));
        }
    }

    /** Log lines not yet written; the executor writes them with the stage's final status. */
    String drain() {
        synchronized (pending) {
            String chunk = pending.toString();
            pending.setLength(0);
            return chunk;
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get() || stopped.get();
    }

    /** Tells the plugin to stop without cancelling the run (the stage timed out). */
    void stop() {
        stopped.set(true);
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public synchronized Path scratchDir() {
        if (scratch == null) {
            try {
                scratch = Files.createDirectories(scratchRoot.resolve("run-" + runId + "-stage-" + position));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scratch;
    }

    /** Deletes the scratch directory, if one was made. */
    void cleanUp() {
        if (scratch == null) {
            return;
        }
        try (var walk = Files.walk(scratch)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Left for the next start's clean-up of the scratch root; nothing depends on it.
        }
    }

    @Override
    public <T> Optional<T> hostService(Class<T> type) {
        return Optional.ofNullable(type.cast(services.get(type)));
    }
}
