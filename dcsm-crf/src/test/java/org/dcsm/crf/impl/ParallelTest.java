package org.dcsm.crf.impl;

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
}
