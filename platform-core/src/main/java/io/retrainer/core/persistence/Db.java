package io.retrainer.core.persistence;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.hibernate.reactive.stage.Stage;

/**
 * Runs Hibernate Reactive work from any thread. Hibernate Reactive keeps the current session in
 * the Vert.x context's local data, so two operations sharing a context would share (and corrupt)
 * one session. Each operation therefore runs on its own duplicate of a dedicated database
 * context: its own locals, the same event loop. Results come back on the caller's context when
 * it has one.
 */
public final class Db {
    private static final Duration BLOCKING_TIMEOUT = Duration.ofMinutes(2);

    private final Stage.SessionFactory sessions;
    private final io.vertx.core.impl.ContextInternal dbContext;

    Db(Stage.SessionFactory sessions, Vertx vertx) {
        this.sessions = sessions;
        // A context of its own, so database callbacks never queue behind HTTP handlers.
        this.dbContext = ((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext();
    }

    /** Runs {@code work} in a transaction. */
    public <T> Future<T> tx(Function<Stage.Session, CompletionStage<T>> work) {
        return run(() -> sessions.withTransaction(work::apply));
    }

    /** Runs {@code work} in a stateless session (bulk reads and native updates). */
    public <T> Future<T> stateless(Function<Stage.StatelessSession, CompletionStage<T>> work) {
        return run(() -> sessions.withStatelessTransaction(work::apply));
    }

    /**
     * Waits for {@code future} on a worker thread. Never call this on an event loop.
     *
     * @throws IllegalStateException if called on an event loop
     */
    public static <T> T await(Future<T> future) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("blocking wait on an event loop thread");
        }
        try {
            return future.toCompletionStage().toCompletableFuture().get(BLOCKING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("database did not answer within " + BLOCKING_TIMEOUT.toSeconds() + " s", e);
        }
    }

    private <T> Future<T> run(java.util.function.Supplier<CompletionStage<T>> work) {
        Context caller = Vertx.currentContext();
        CompletableFuture<T> result = new CompletableFuture<>();
        dbContext.duplicate().runOnContext(v -> {
            try {
                work.get().whenComplete((value, error) -> {
                    if (error != null) {
                        result.completeExceptionally(unwrap(error));
                    } else {
                        result.complete(value);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return caller != null ? Future.fromCompletionStage(result, caller) : Future.fromCompletionStage(result);
    }

    private static Throwable unwrap(Throwable t) {
        if (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            return t.getCause();
        }
        return t;
    }

    /** Closes the session factory and its pool. */
    public void close() {
        sessions.close();
    }
}
