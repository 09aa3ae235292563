package org.dcsm.crf.impl;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs index ranges on a private {@link ForkJoinPool} of a fixed size, or inline when one thread is
 * asked for. One instance per CRF session; {@link #close()} shuts the pool down. Each range is split
 * into contiguous chunks whose bounds depend only on the range and the thread count, and the bodies
 * used by dcsm write disjoint outputs, so results never depend on scheduling.
 */
public final class Parallel implements AutoCloseable {

    /** A loop body over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Below this many items a range runs inline: the fork/join overhead would dominate. */
    private static final int MIN_PARALLEL = 2048;

    /** Chunks per thread in {@link #forRange}: small enough to balance uneven chunks, large enough to amortise. */
    private static final int CHUNKS_PER_THREAD = 8;

    private final int threads;
    private final ForkJoinPool pool;

    private Parallel(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads - 1) : null; // the caller is the other thread
    }

    /**
     * A runner with {@code threads} worker threads (none are started for 1).
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public static Parallel create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        return new Parallel(threads);
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into chunks across the pool; returns when all are done. The
     * chunk bounds depend only on {@code n} and the thread count; the calling thread and the workers claim
     * chunks from a shared counter until none is left, so no thread idles while another has work queued.
     */
    public void forRange(int n, RangeBody body) {
        if (pool == null || n < MIN_PARALLEL) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(n, threads * CHUNKS_PER_THREAD);
        forChunks(chunks, c -> body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    }

    /** A body run once per chunk index. */
    @FunctionalInterface
    public interface ChunkBody {
        void run(int chunk);
    }

    /**
     * Runs {@code body} for chunk indices {@code 0..chunks-1} across the pool, whatever {@code chunks} is. The
     * calling thread works too: it and {@code threads - 1} pool workers claim indices from a shared counter.
     */
    public void forChunks(int chunks, ChunkBody body) {
        if (pool == null || chunks <= 1) {
            for (int c = 0; c < chunks; c++) {
                body.run(c);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                body.run(c);
            }
        };
        int helpers = Math.min(threads - 1, chunks - 1);
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[helpers];
        for (int t = 0; t < helpers; t++) {
            tasks[t] = pool.submit(worker);
        }
        worker.run();
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
