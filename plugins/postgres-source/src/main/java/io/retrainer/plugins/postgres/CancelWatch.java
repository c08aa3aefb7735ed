package io.retrainer.plugins.postgres;

import io.retrainer.api.StageContext;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Cancels a running statement on the server once the stage is cancelled. The row loop checks the
 * flag too, but a query can spend minutes on the server before its first row arrives, and only
 * {@link Statement#cancel()} (a separate cancel request to the server) stops that.
 */
final class CancelWatch implements AutoCloseable {
    private static final long POLL_MILLIS = 200;

    private final Thread thread;
    private volatile boolean done;

    CancelWatch(Statement statement, StageContext context) {
        thread = new Thread(() -> {
            while (!done) {
                if (context.isCancelled()) {
                    try {
                        statement.cancel();
                    } catch (SQLException ignored) {
                        // The statement finished or the connection is gone: nothing left to cancel.
                    }
                    return;
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "postgres-source-cancel-watch");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        done = true;
        thread.interrupt();
    }
}
