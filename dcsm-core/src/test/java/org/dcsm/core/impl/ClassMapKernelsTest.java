package org.dcsm.core.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassMapKernelsTest {

    @Test
    void tanhMatchesMathTanh() {
        double worst = 0;
        for (int i = -400_000; i <= 400_000; i++) {
            double x = i * 5e-5; // [-20, 20]
            worst = Math.max(worst, Math.abs(ClassMapKernels.tanh(x) - Math.tanh(x)));
        }
        assertThat(worst).isLessThan(4e-16); // measured 3.3e-16 (negative x; 2.2e-16 for x >= 0)
        assertThat(ClassMapKernels.tanh(0)).isEqualTo(0.0);
        assertThat(ClassMapKernels.tanh(1e6)).isEqualTo(1.0);
        assertThat(ClassMapKernels.tanh(-1e6)).isEqualTo(-1.0);
        assertThat(ClassMapKernels.tanh(3)).isCloseTo(0.99505475368673, within(1e-15));
    }

    @Test
    void firstNonFinite() {
        assertThat(ClassMapKernels.firstNonFinite(new float[] {0, 1, Float.NaN, Float.POSITIVE_INFINITY}, 0, 4)).isEqualTo(2);
        assertThat(ClassMapKernels.firstNonFinite(new float[] {0, 1, Float.NaN, Float.NEGATIVE_INFINITY}, 3, 4)).isEqualTo(3);
        assertThat(ClassMapKernels.firstNonFinite(new float[] {0, 1}, 0, 2)).isEqualTo(-1);
    }
}
