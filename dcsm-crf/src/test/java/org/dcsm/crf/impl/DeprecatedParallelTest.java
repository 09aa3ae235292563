package org.dcsm.crf.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

/** The old dcsm-crf name of the runner is a view of dcsm-core's: same threads, same work split, nothing of its own. */
@SuppressWarnings("removal")
class DeprecatedParallelTest {

    @Test
    void theOldNameIsAViewOfTheCoreRunner() {
        org.dcsm.core.impl.Parallel core = org.dcsm.core.impl.Parallel.shared(3);
        Parallel old = Parallel.shared(3);
        assertThat(old).isSameAs(Parallel.shared(3)).isInstanceOf(org.dcsm.core.impl.Parallel.class);
        assertThat(old.threads()).isEqualTo(core.threads()).isEqualTo(3);
        assertThat(Parallel.of(old)).isSameAs(old);
        assertThat(Parallel.of(core).threads()).isEqualTo(3);
        int n = 50_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        old.forRange(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertThat(seen.get(i)).isEqualTo(1);
        }
    }
}
