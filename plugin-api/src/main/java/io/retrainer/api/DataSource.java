package io.retrainer.api;

import java.util.Optional;

/**
 * Loads the data a pipeline trains on.
 *
 * <p>Runs on a worker thread; blocking I/O is fine. Malformed input must fail with an exception
 * whose message says where (file, line) and what was wrong.
 */
public interface DataSource extends RetrainerExtension {

    /**
     * Loads the data set. The returned {@link Dataset#fingerprint()} must identify its content, so
     * that two loads of identical data give the same fingerprint (it is recorded as lineage).
     *
     * @param context the stage's settings, log, progress and cancellation flag
     * @return the loaded data with its schema and label column
     * @throws Exception with a readable message when the data cannot be loaded
     */
    Dataset load(StageContext context) throws Exception;

    /**
     * A cheap token that changes when the data changes (file size and modification time, a row
     * count, a maximum timestamp). Used by "new data" triggers; empty when the source cannot tell.
     *
     * @param settings this source's validated settings
     * @return the current token, or empty if unsupported
     * @throws Exception when the source cannot be reached
     */
    default Optional<String> changeToken(Settings settings) throws Exception {
        return Optional.empty();
    }
}
