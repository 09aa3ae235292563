package org.dcsm.backprop.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void overTheBudgetIsRefusedNamingItemSizeEstimateAndBudget() {
        MemoryBudget b = MemoryBudget.of(3L << 30, "test limits");
        b.check("a.png", "10x10 pixels", 3L << 30, "saliency"); // at the budget: accepted
        assertThatThrownBy(() -> b.check("big.png", "8000x8000 pixels", 41L << 30, "saliency 40 GB, CRF 1 GB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("big.png (8000x8000 pixels) needs about 41.0 GB (saliency 40 GB, CRF 1 GB), over the "
                        + "memory budget of 3.0 GB (test limits); use a smaller image, or give Java more memory "
                        + "(-Xmx, -Dorg.bytedeco.javacpp.maxphysicalbytes)");
        assertThatThrownBy(() -> MemoryBudget.of(-1, "x")).hasMessage("bytes must be >= 0, found -1");
    }

    @Test
    void formats() {
        assertThat(MemoryBudget.format(512L << 20)).isEqualTo("512.0 MB");
        assertThat(MemoryBudget.format(3L << 29)).isEqualTo("1.5 GB");
        assertThat(MemoryBudget.format(Long.MAX_VALUE)).isEqualTo("more than 8 EB");
    }

    @Test
    void processBudgetIsWithinTheProcessLimits() {
        MemoryBudget b = MemoryBudget.ofProcess();
        long limit = Runtime.getRuntime().maxMemory() + Pointer.maxBytes();
        if (Pointer.maxPhysicalBytes() > 0) {
            limit = Math.min(limit, Pointer.maxPhysicalBytes());
        }
        assertThat(b.bytes()).isPositive().isLessThanOrEqualTo(limit);
        assertThat(b.source()).startsWith("heap ").contains("JavaCPP maxbytes").contains("in use");
    }
}
