package io.retrainer.api.testing;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.Settings;
import io.retrainer.api.StageContext;
import io.retrainer.api.StageLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link StageContext} for plugin unit tests: settings resolved through the extension's
 * {@link ConfigSpec} exactly as the host does, log lines kept in a list, host services registered
 * by the test. Not used by the host.
 */
public final class TestStageContext implements StageContext {
    private final Settings settings;
    private final long seed;
    private final Random random;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Map<Class<?>, Object> services = new HashMap<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private Path scratch;
    private volatile double lastProgress;

    private TestStageContext(Settings settings, long seed) {
        this.settings = settings;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /**
     * A context whose settings are {@code raw} validated and resolved against {@code spec}.
     *
     * @throws IllegalArgumentException listing the problems, as the host would report them
     */
    public static TestStageContext of(ConfigSpec spec, Map<String, ?> raw) {
        return new TestStageContext(spec.resolve(raw, "config"), 42L);
    }

    /** The same context with another seed. */
    public TestStageContext withSeed(long newSeed) {
        TestStageContext c = new TestStageContext(settings, newSeed);
        c.services.putAll(services);
        return c;
    }

    /** Registers a host service the code under test may ask for. */
    public <T> TestStageContext withService(Class<T> type, T service) {
        services.put(type, service);
        return this;
    }

    /** Marks the stage cancelled. */
    public void cancel() {
        cancelled.set(true);
    }

    /** The log lines written so far, each prefixed with its level, e.g. {@code "INFO loaded 569 rows"}. */
    public List<String> logLines() {
        return List.copyOf(lines);
    }

    /** The last progress fraction reported. */
    public double lastProgress() {
        return lastProgress;
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
                lines.add("INFO " + message);
            }

            @Override
            public void warn(String message) {
                lines.add("WARN " + message);
            }

            @Override
            public void error(String message) {
                lines.add("ERROR " + message);
            }
        };
    }

    @Override
    public void progress(double fraction, String message) {
        lastProgress = fraction;
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
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
                scratch = Files.createTempDirectory("retrainer-test-stage");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scratch;
    }

    @Override
    public <T> Optional<T> hostService(Class<T> type) {
        return Optional.ofNullable(type.cast(services.get(type)));
    }
}
