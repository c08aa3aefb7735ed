package io.retrainer.core.notify;

/**
 * Tells the outside world about platform {@link Event}s. {@link #publish} is safe to call from any
 * thread, including a Vert.x event loop or a run's worker thread: it never blocks and never throws,
 * so a slow or broken receiver can never hold up the loop that produced the event.
 */
public interface Notifier extends AutoCloseable {
    /** A notifier that drops everything (no receivers configured, or in tests). */
    Notifier NONE = event -> {
    };

    /** Hands {@code event} over for delivery and returns at once. Never throws. */
    void publish(Event event);

    /** Stops delivering; events still waiting for a retry are abandoned. */
    @Override
    default void close() {
    }
}
