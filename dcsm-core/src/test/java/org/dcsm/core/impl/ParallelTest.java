package org.dcsm.core.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnceForAnyThreadCount() {
        for (int threads : new int[] {1, 2, 3, 8}) {
            for (int n : new int[] {0, 1, 2047, 2048, 100_003}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(n);
                try (Parallel p = Parallel.create(threads)) {
                    p.forRange(n, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            seen.incrementAndGet(i);
                        }
                    });
                }
                for (int i = 0; i < n; i++) {
                    assertThat(seen.get(i)).as("index %d of %d, %d threads", i, n, threads).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void everyChunkRunsExactlyOnce() {
        for (int threads : new int[] {1, 2, 5}) {
            try (Parallel p = Parallel.create(threads)) {
                AtomicIntegerArray runs = new AtomicIntegerArray(50);
                AtomicInteger total = new AtomicInteger();
                p.forChunks(50, c -> {
                    runs.incrementAndGet(c);
                    total.incrementAndGet();
                });
                for (int c = 0; c < 50; c++) {
                    assertThat(runs.get(c)).isEqualTo(1);
                }
                assertThat(total.get()).isEqualTo(50);
            }
        }
    }

    @Test
    void aFailingBodyFailsTheCall() {
        try (Parallel p = Parallel.create(2)) {
            assertThatThrownBy(() -> p.forRange(10_000, (from, to) -> {
                if (from > 0) {
                    throw new IllegalStateException("chunk at " + from);
                }
            })).hasMessageContaining("chunk at");
        }
        assertThatThrownBy(() -> Parallel.create(0)).hasMessageContaining("threads must be >= 1, found 0");
    }

    @Test
    void sharedRunnerServesConcurrentCallersAndEachCallSeesAllItsChunksDone() throws Exception {
        Parallel shared = Parallel.shared(2);
        assertThat(Parallel.shared(2)).isSameAs(shared);
        int n = 200_000;
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Long>> results = new java.util.ArrayList<>();
            for (int call = 0; call < 40; call++) {
                results.add(callers.submit(() -> {
                    long[] slot = new long[n];
                    shared.forRange(n, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            slot[i] = i;
                        }
                    });
                    long sum = 0;
                    for (long v : slot) {
                        sum += v;
                    }
                    return sum;
                }));
            }
            for (java.util.concurrent.Future<Long> r : results) {
                assertThat(r.get()).isEqualTo((long) n * (n - 1) / 2);
            }
        } finally {
            callers.shutdown();
        }
        shared.close(); // no effect on the shared runner
        AtomicInteger after = new AtomicInteger();
        shared.forRange(10_000, (from, to) -> after.addAndGet(to - from));
        assertThat(after.get()).isEqualTo(10_000);
    }

    /** threads(n) means at most n threads on one call, the caller among them; 1 runs in the caller alone. */
    @Test
    void atMostThreadsWorkAtOnceAndTheCallerIsOneOfThem() {
        for (int threads : new int[] {1, 2, 3}) {
            try (Parallel p = Parallel.create(threads)) {
                AtomicInteger active = new AtomicInteger();
                AtomicInteger peak = new AtomicInteger();
                java.util.Set<Thread> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
                p.forChunks(24, c -> {
                    int now = active.incrementAndGet();
                    peak.accumulateAndGet(now, Math::max);
                    seen.add(Thread.currentThread());
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    active.decrementAndGet();
                });
                assertThat(peak.get()).as("%d threads", threads).isLessThanOrEqualTo(threads);
                assertThat(seen).as("%d threads", threads).hasSizeLessThanOrEqualTo(threads)
                        .contains(Thread.currentThread());
            }
        }
        assertThatThrownBy(() -> Parallel.requireThreads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be >= 1, found 0");
        assertThatThrownBy(() -> Parallel.shared(-2)).hasMessage("threads must be >= 1, found -2");
    }

    /** forBlocks: threads contiguous blocks covering the range once; one thread is one call over everything. */
    @Test
    void blocksAreContiguousOnePerThread() {
        for (int threads : new int[] {1, 2, 3, 8}) {
            for (int n : new int[] {0, 1, 2, 5, 21}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(n);
                AtomicInteger calls = new AtomicInteger();
                try (Parallel p = Parallel.create(threads)) {
                    p.forBlocks(n, (from, to) -> {
                        calls.incrementAndGet();
                        for (int i = from; i < to; i++) {
                            seen.incrementAndGet(i);
                        }
                    });
                }
                for (int i = 0; i < n; i++) {
                    assertThat(seen.get(i)).as("index %d of %d, %d threads", i, n, threads).isEqualTo(1);
                }
                assertThat(calls.get()).as("%d items, %d threads", n, threads).isEqualTo(Math.min(threads, n));
            }
        }
    }
}
