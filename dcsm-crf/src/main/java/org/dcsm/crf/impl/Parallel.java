package org.dcsm.crf.impl;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs index ranges on a {@link ForkJoinPool} of a fixed size plus the calling thread, or inline when one thread is
 * asked for. {@link #create(int)} makes a private pool that {@link #close()} shuts down; {@link #shared(int)} gives
 * the one kept per thread count, which the dense CRF uses. Each range is split
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

    /** The shared runners by thread count (see {@link #shared(int)}). */
    private static final ConcurrentHashMap<Integer, Parallel> SHARED = new ConcurrentHashMap<>();

    private final int threads;
    private final ForkJoinPool pool;
    private final boolean shared;

    private Parallel(int threads, boolean shared) {
        this.threads = threads;
        this.shared = shared;
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
        return new Parallel(threads, false);
    }

    /**
     * The runner with {@code threads} threads shared by every caller that asks for that count: its
     * {@code threads - 1} pool workers (daemon threads, ended by the pool after a minute idle and restarted on
     * demand) are started once instead of once per image. Measured: a pool made per inference cost the 2-thread VOC
     * case about 100 ms of its ~600 ms (a new worker thread starts cold on each call). {@link #close()} does nothing on
     * it. Callers in several threads may share it: each call's chunks go to the caller and to whichever workers
     * are free; a caller never waits for another caller's chunks.
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public static Parallel shared(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        return SHARED.computeIfAbsent(threads, t -> new Parallel(t, true));
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
        CountDownLatch done = new CountDownLatch(chunks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    body.run(c);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        };
        // helpers are not waited for: one that starts late (its worker busy with another caller's chunks) finds
        // no chunk left and ends; the call returns when every chunk is done, whoever ran it
        int helpers = Math.min(threads - 1, chunks - 1);
        for (int t = 0; t < helpers; t++) {
            pool.execute(worker);
        }
        worker.run();
        awaitUninterruptibly(done);
        Throwable f = failure.get();
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (pool != null && !shared) {
            pool.shutdown();
        }
    }
}
