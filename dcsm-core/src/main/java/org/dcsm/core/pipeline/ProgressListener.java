package org.dcsm.core.pipeline;

/**
 * Receives the progress of a {@link BatchRunner} run: the total when known, each item's outcome, and
 * the final report. Called on the thread that runs the batch. All methods default to doing nothing.
 */
public interface ProgressListener {

    /** The run starts; {@code total} items are expected, or -1 when unknown. */
    default void started(long total) {
    }

    /** An item finished successfully. */
    default void succeeded(String id) {
    }

    /** An item failed and was skipped; the run goes on. */
    default void failed(String id, Exception error) {
    }

    /** The run ended. */
    default void finished(BatchReport report) {
    }

    /** A listener that ignores everything. */
    static ProgressListener none() {
        return new ProgressListener() {
        };
    }
}
