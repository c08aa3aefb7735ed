package io.retrainer.api;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

/**
 * Everything a stage may touch while it runs. Nothing else of the host is visible to a plugin.
 */
public interface StageContext {

    /** The stage's settings, validated against the extension's {@link ConfigSpec}, defaults filled in. */
    Settings settings();

    /** The stage's log. */
    StageLog log();

    /**
     * Reports progress, shown live in the console.
     *
     * @param fraction from 0 to 1
     * @param message what is happening now
     */
    void progress(double fraction, String message);

    /** True once the run was cancelled or the stage timed out; long loops should check and stop. */
    boolean isCancelled();

    /** The run's seed: the same seed and data give the same model. */
    long seed();

    /** A random source seeded from {@link #seed()} for this stage. */
    Random random();

    /** A private directory for temporary files, deleted after the stage. */
    Path scratchDir();

    /**
     * A service the host offers to this kind of stage, such as {@link ServingRuntime} for deployers.
     *
     * @param type the service interface, from this API
     * @return the service, or empty if the host offers none of that type here
     */
    <T> Optional<T> hostService(Class<T> type);
}
