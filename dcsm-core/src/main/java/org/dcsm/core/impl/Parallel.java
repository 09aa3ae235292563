package org.dcsm.core.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits an index range {@code [0, n)} into at most {@code threads} contiguous chunks: the calling
 * thread runs the first, the common {@link ForkJoinPool} the others, and the call returns when all
 * are done. The thread count is an argument (each dcsm object passes its own {@code threads(int)}
 * setting); there is no global switch. With {@code threads <= 1} everything runs in the caller.
 */
public final class Parallel {

    /** Work on the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private Parallel() {
    }

    /**
     * Runs {@code body} over {@code [0, n)} in up to {@code threads} chunks. An exception thrown by a
     * chunk is rethrown here (an unchecked exception as is).
     */
    public static void forRange(int threads, int n, RangeBody body) {
        int chunks = Math.min(Math.max(threads, 1), n);
        if (chunks <= 1) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks - 1);
        for (int k = 1; k < chunks; k++) {
            int from = (int) ((long) n * k / chunks);
            int to = (int) ((long) n * (k + 1) / chunks);
            tasks.add(ForkJoinPool.commonPool().submit(() -> body.run(from, to)));
        }
        body.run(0, (int) ((long) n / chunks));
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }
}
