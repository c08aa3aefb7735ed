package io.retrainer.core.pipeline;

import io.retrainer.core.metrics.PlatformMetrics;
import io.retrainer.core.persistence.Db;
import io.retrainer.core.persistence.RunRecord;
import io.retrainer.core.plugins.PluginHost;
import io.retrainer.core.registry.ModelRegistry;
import io.retrainer.core.serving.ServingService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims queued runs and executes them on worker threads, at most {@code maxParallelRuns} at a
 * time and one at a time per pipeline (a second trigger queues behind the first). Nothing here
 * runs on a Vert.x event loop.
 */
public final class RunExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunExecutor.class);
    private static final long POLL_MS = 1000;

    private final RunService runs;
    private final RunExecution.Services services;
    private final int maxParallelRuns;
    private final ScheduledExecutorService dispatcher = Executors.newSingleThreadScheduledExecutor(named("retrainer-dispatch"));
    private final ExecutorService workers;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicBoolean dispatchScheduled = new AtomicBoolean();
    private final Map<Long, AtomicBoolean> cancelFlags = new ConcurrentHashMap<>();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final List<RegistrationHook> registrationHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /**
     * An executor.
     *
     * @param maxParallelRuns runs of different pipelines that may execute at once
     * @param stageTimeout how long one stage may take before it is cancelled and failed
     * @param scratchRoot where stages get scratch directories
     */
    public RunExecutor(RunService runs, PluginHost plugins, ModelRegistry registry, ServingService serving,
                       PlatformMetrics metrics, int maxParallelRuns, Duration stageTimeout, Path scratchRoot) {
        this.runs = runs;
        this.maxParallelRuns = maxParallelRuns;
        this.workers = Executors.newFixedThreadPool(maxParallelRuns, named("retrainer-run"));
        this.services = new RunExecution.Services(runs, plugins, registry, serving, metrics, stageTimeout, scratchRoot,
                Executors.newCachedThreadPool(named("retrainer-stage")), shuttingDown, registrationHooks);
        runs.onQueued(this::nudge);
        runs.onCancel(id -> Optional.ofNullable(cancelFlags.get(id)).ifPresent(f -> f.set(true)));
    }

    /** Adds work done in every register stage with the new version's data (e.g. drift profiles). */
    public void addRegistrationHook(RegistrationHook hook) {
        registrationHooks.add(hook);
    }

    /** Starts polling the queue (also picks up runs queued while the platform was down). */
    public void start() {
        dispatcher.scheduleWithFixedDelay(this::dispatch, 0, POLL_MS, TimeUnit.MILLISECONDS);
    }

    /** Looks at the queue now rather than at the next poll. */
    public void nudge() {
        if (!closed && dispatchScheduled.compareAndSet(false, true)) {
            dispatcher.execute(() -> {
                dispatchScheduled.set(false);
                dispatch();
            });
        }
    }

    /** The number of runs executing now. */
    public int activeRuns() {
        return active.get();
    }

    private void dispatch() {
        try {
            while (!closed && active.get() < maxParallelRuns) {
                Optional<RunRecord> claimed = Db.await(runs.claimNext());
                if (claimed.isEmpty()) {
                    return;
                }
                RunRecord run = claimed.get();
                AtomicBoolean cancel = new AtomicBoolean(run.cancelRequested);
                cancelFlags.put(run.id, cancel);
                active.incrementAndGet();
                workers.execute(() -> {
                    try {
                        new RunExecution(services, run, cancel).execute();
                    } catch (RuntimeException e) {
                        LOG.error("run {} of {} crashed the executor: {}", run.id, run.pipelineName, e.toString(), e);
                        tryFail(run.id, "internal error: " + e);
                    } finally {
                        cancelFlags.remove(run.id);
                        services.plugins().runEnded(run.id);
                        active.decrementAndGet();
                        nudge();
                    }
                });
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("run dispatch failed, retrying in {} ms: {}", POLL_MS, e.getMessage());
            }
        }
    }

    private void tryFail(long runId, String error) {
        try {
            Db.await(runs.finish(runId, RunStatus.FAILED, error));
        } catch (RuntimeException e) {
            LOG.error("run {} could not be marked failed: {}", runId, e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        shuttingDown.set(true);
        cancelFlags.values().forEach(f -> f.set(true));
        dispatcher.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        services.stageThreads().shutdownNow();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
