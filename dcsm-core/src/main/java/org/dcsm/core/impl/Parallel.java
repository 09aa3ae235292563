package org.dcsm.core.impl;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one thread runner of dcsm (internal): every {@code threads(int)} setting of the library ends here, and means
 * the same everywhere. <b>{@code threads(n)}: at most {@code n} threads work on one call, the calling thread and
 * {@code n - 1} pool workers; {@code n = 1} runs everything in the caller and starts no thread.</b> The workers of
 * {@link #shared(int)} are kept per {@code n} and shared by every object with that setting (they are daemon threads,
 * ended by the pool after a minute idle), so no call starts threads; {@link #create(int)} makes a private pool that
 * {@link #close()} shuts down (benchmarks, tests). There is no global switch: the count is an argument.
 *
 * <p>Determinism: a range is split into chunks whose bounds depend only on the range and the thread count, and the
 * bodies dcsm passes write disjoint outputs, so results never depend on scheduling; dcsm's callers also make them
 * independent of the thread count (their tests compare 1 thread with several, bitwise).
 *
 * <p>Three kinds of work: {@link #forRange} for many small items (pixels, lattice points: run inline below
 * {@value #MIN_PARALLEL} items, otherwise in {@code 8 × threads} chunks claimed from a shared counter),
 * {@link #forBlocks} for a few large items (a class map's channels: {@code threads} contiguous blocks, so one thread
 * makes one call) and {@link #forChunks} for work already cut into pieces (one task each).
 *
 * <p>Loads no ND4J class (dcsm-crf's raw-array path uses it without ND4J on the class path).
 */
public final class Parallel implements AutoCloseable {

    /** A loop body over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** A body run once per chunk index. */
    @FunctionalInterface
    public interface ChunkBody {
        void run(int chunk);
    }

    /** Below this many items {@link #forRange} runs inline: the fork/join overhead would dominate. */
    public static final int MIN_PARALLEL = 2048;

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
     * A runner with a private pool of {@code threads - 1} workers (none for 1); close it.
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public static Parallel create(int threads) {
        return new Parallel(requireThreads(threads), false);
    }

    /**
     * The runner with {@code threads} threads shared by every caller that asks for that count: its
     * {@code threads - 1} pool workers are started once instead of once per image. Measured: a pool made per CRF
     * inference cost the 2-thread VOC case about 100 ms of its ~600 ms (a new worker thread starts cold on each
     * call). {@link #close()} does nothing on it. Callers in several threads may share it: each call's chunks go to
     * the caller and to whichever workers are free; a caller never waits for another caller's chunks.
     *
     * @throws IllegalArgumentException when {@code threads < 1}
     */
    public static Parallel shared(int threads) {
        return SHARED.computeIfAbsent(requireThreads(threads), t -> new Parallel(t, true));
    }

    /**
     * Checks a {@code threads(int)} setting; every builder with one calls this in {@code build()}.
     *
     * @return {@code threads}
     * @throws IllegalArgumentException "threads must be >= 1, found " + threads
     */
    public static int requireThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        return threads;
    }

    /** The most threads one call runs on (the caller included). */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into chunks across the pool; returns when all are done. The
     * chunk bounds depend only on {@code n} and the thread count; the calling thread and the workers claim
     * chunks from a shared counter until none is left, so no thread idles while another has work queued. An
     * exception thrown by a chunk is rethrown here (an unchecked one as is).
     */
    public void forRange(int n, RangeBody body) {
        if (pool == null || n < MIN_PARALLEL) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        int chunks = Math.min(n, threads * CHUNKS_PER_THREAD);
        forChunks(chunks, c -> body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    }

    /**
     * Runs {@code body} over {@code [0, n)} in {@code min(threads, n)} contiguous blocks of (nearly) equal size, one
     * task each, for a few large items such as channels: with one thread it is one call {@code body(0, n)}. Returns
     * when all are done; an exception thrown by a block is rethrown here.
     */
    public void forBlocks(int n, RangeBody body) {
        int blocks = Math.min(threads, n);
        if (blocks <= 1) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        forChunks(blocks, b -> body.run((int) ((long) n * b / blocks), (int) ((long) n * (b + 1) / blocks)));
    }

    /**
     * Runs {@code body} for chunk indices {@code 0..chunks-1} across the pool, whatever {@code chunks} is (each
     * index is one task: for a few large items). The calling thread works too: it and {@code threads - 1} pool
     * workers claim indices from a shared counter. An exception thrown by a chunk is rethrown here.
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

    /** Shuts down a pool made by {@link #create(int)}; does nothing on a shared runner. */
    @Override
    public void close() {
        if (pool != null && !shared) {
            pool.shutdown();
        }
    }
}
