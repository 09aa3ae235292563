package org.dcsm.examples.cli;

import java.io.PrintWriter;

import org.dcsm.core.pipeline.BatchReport;

/** Shared end-of-run output of the batch commands: the failed items, and the exit code that says so. */
final class Reports {

    private Reports() {
    }

    /** Lists every failure of the reports on {@code out}; returns {@link DcsmCommand#PARTIAL} when any failed. */
    static int exitCode(PrintWriter out, BatchReport... reports) {
        int failed = 0;
        for (BatchReport r : reports) {
            failed += r.failures().size();
        }
        if (failed == 0) {
            return DcsmCommand.OK;
        }
        out.printf("%d item(s) failed and were skipped:%n", failed);
        for (BatchReport r : reports) {
            for (BatchReport.Failure f : r.failures()) {
                out.printf("  FAILED %s: %s%n", f.id(), f.message());
            }
        }
        return DcsmCommand.PARTIAL;
    }
}
