package org.dcsm.crf.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FastExpTest {

    @Test
    void matchesMathExpToFloatPrecision() {
        double worst = 0;
        for (float x = -80f; x <= 88f; x += 0.001f) {
            double exact = Math.exp(x);
            double rel = Math.abs(FastExp.exp(x) - exact) / exact;
            worst = Math.max(worst, rel);
        }
        assertThat(worst).isLessThan(3e-7);
        assertThat(FastExp.exp(0f)).isEqualTo(1f);
        assertThat(FastExp.exp(-100f)).isEqualTo(0f);
        assertThat(FastExp.exp(-80.5f)).isEqualTo(0f);
        assertThat(FastExp.exp(-79.5f)).isPositive();
        assertThat(FastExp.exp(100f)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat((double) FastExp.exp(-1f)).isCloseTo(0.36787944, org.assertj.core.api.Assertions.within(1e-7));
    }

    @Test
    void nonPositiveFormMatchesMathExpOnTheSoftmaxRange() {
        double worst = 0;
        for (float x = -80f; x <= 0f; x += 0.0007f) {
            double exact = Math.exp(x);
            double rel = Math.abs(FastExp.expNonPositive(x) - exact) / exact;
            worst = Math.max(worst, rel);
        }
        assertThat(worst).isLessThan(3e-7);
        assertThat(FastExp.expNonPositive(0f)).isEqualTo(1f);
        assertThat(FastExp.expNonPositive(-1000f)).isEqualTo(FastExp.expNonPositive(-80f)).isPositive()
                .isLessThan(2e-35f);
        assertThat(FastExp.expNonPositive(Float.NEGATIVE_INFINITY)).isEqualTo(FastExp.expNonPositive(-80f));
        assertThat((double) FastExp.expNonPositive(-1f))
                .isCloseTo(0.36787944, org.assertj.core.api.Assertions.within(1e-7));
    }
}
