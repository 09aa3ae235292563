package org.dcsm.core.pipeline;

import java.util.List;

/**
 * The outcome of a {@link BatchRunner} run: how many items succeeded and which failed, with why.
 * Immutable.
 */
public record BatchReport(int succeeded, List<Failure> failures) {

    /** One failed item: its id and the error message. */
    public record Failure(String id, String message) {
    }

    public BatchReport {
        if (succeeded < 0) {
            throw new IllegalArgumentException("succeeded must be >= 0, found " + succeeded);
        }
        failures = List.copyOf(failures);
    }

    /** Whether every item succeeded. */
    public boolean allSucceeded() {
        return failures.isEmpty();
    }

    /** Items attempted. */
    public int attempted() {
        return succeeded + failures.size();
    }
}
