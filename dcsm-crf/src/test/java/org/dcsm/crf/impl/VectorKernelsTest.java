package org.dcsm.crf.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The Vector API kernels that are not bitwise twins of scalar loops (surefire runs with the module). */
class VectorKernelsTest {

    private static float[] vectorExp(float[] x) {
        float[] out = new float[x.length];
        int lanes = VectorKernels.lanes();
        for (int k = 0; k + lanes <= x.length; k += lanes) {
            VectorKernels.expNonPositive(FloatVector.fromArray(FloatVector.SPECIES_256.length() == lanes
                    ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED, x, k)).intoArray(out, k);
        }
        return out;
    }

    @Test
    void vectorExponentialMatchesMathExpOnTheSoftmaxRange() {
        int lanes = VectorKernels.lanes();
        int count = 0;
        for (float x = -80f; x <= 0f; x += 0.0007f) {
            count++;
        }
        float[] xs = new float[(count + lanes - 1) / lanes * lanes];
        int i = 0;
        for (float x = -80f; x <= 0f; x += 0.0007f) {
            xs[i++] = x;
        }
        float[] ys = vectorExp(xs);
        double worst = 0;
        for (int k = 0; k < count; k++) {
            double exact = Math.exp(xs[k]);
            worst = Math.max(worst, Math.abs(ys[k] - exact) / exact);
        }
        assertThat(worst).isLessThan(3e-7);
        float[] edges = new float[lanes];
        edges[0] = 0f;
        edges[1] = -1f;
        if (lanes > 2) {
            edges[2] = -1000f;
            edges[3] = Float.NEGATIVE_INFINITY;
        }
        float[] e = vectorExp(edges);
        assertThat(e[0]).isEqualTo(1f);
        assertThat((double) e[1]).isCloseTo(0.36787944, within(1e-7));
        if (lanes > 2) {
            assertThat(e[2]).isEqualTo(e[3]).isPositive().isLessThan(2e-35f);
        }
    }

    @Test
    void strideIsPaddedToWholeVectorsFromFiveLabelsOn() {
        assertThat(MeanField.stride(1)).isEqualTo(1);
        assertThat(MeanField.stride(2)).isEqualTo(2);
        assertThat(MeanField.stride(4)).isEqualTo(4);
        assertThat(MeanField.stride(5)).isEqualTo(8);
        assertThat(MeanField.stride(8)).isEqualTo(8);
        assertThat(MeanField.stride(21)).isEqualTo(24);
        assertThat(MeanField.stride(24)).isEqualTo(24);
        assertThat(MeanField.stride(25)).isEqualTo(32);
        assertThat(MeanField.stride(8) % VectorKernels.lanes()).isZero();
    }
}
