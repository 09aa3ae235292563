package org.dcsm.crf.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.dcsm.core.impl.Parallel;
import org.junit.jupiter.api.Test;

class MeanFieldTest {

    private static final int N = 300;

    private static MeanField meanField(int m, int kind, boolean vector, Parallel parallel, long seed) {
        return meanField(m, kind, vector, parallel, seed, 2f);
    }

    /** Random unary energies (N×m, in [0, 3)) and 2-D features (N×2, in [0, 6)), drawn in that order. */
    private static float[][] randomInputs(int m, Random rnd) {
        float[] unary = new float[N * m];
        for (int i = 0; i < unary.length; i++) {
            unary[i] = 3f * rnd.nextFloat();
        }
        float[] features = new float[N * 2];
        for (int i = 0; i < features.length; i++) {
            features[i] = 6f * rnd.nextFloat();
        }
        return new float[][] {unary, features};
    }

    private static MeanField meanField(int m, int kind, boolean vector, Parallel parallel, long seed, float weight) {
        Random rnd = new Random(seed);
        float[][] inputs = randomInputs(m, rnd);
        float[] unary = inputs[0];
        float[] features = inputs[1];
        float[] diagonal = new float[m];
        float[] matrix = new float[m * m];
        for (int l = 0; l < m; l++) {
            diagonal[l] = 0.5f + rnd.nextFloat();
            for (int k = 0; k < m; k++) {
                matrix[l * m + k] = l == k ? 0f : 0.5f + rnd.nextFloat();
            }
        }
        MeanField.Term term = new MeanField.Term(new ExactGaussianFilter(features, N, 2, parallel), weight, null, null);
        return new MeanField(unary, N, m, new MeanField.Term[] {term}, kind, 1.5f,
                diagonal, kind == MeanField.DIAGONAL ? diagonal : matrix, parallel, vector);
    }

    @Test
    void vectorUpdateMatchesTheScalarUpdateToFloatRounding() {
        // surefire runs this module with --add-modules jdk.incubator.vector
        assertThat(PermutohedralLattice.VECTOR_API).isTrue();
        try (Parallel p = Parallel.create(1)) {
            for (int m : new int[] {5, 8, 21, 24, 33}) {
                for (int kind : new int[] {MeanField.POTTS, MeanField.DIAGONAL, MeanField.MATRIX}) {
                    // a weak coupling keeps the iteration contractive: a strong one (a mean-field map with gain
                    // above 1) amplifies any rounding difference from step to step, whichever path is right
                    MeanField scalar = meanField(m, kind, false, p, m, 0.2f);
                    MeanField vector = meanField(m, kind, true, p, m, 0.2f);
                    assertThat(vector.stride()).isEqualTo(scalar.stride()).isEqualTo(MeanField.stride(m));
                    for (int step = 0; step <= 5; step++) {
                        float[] a = scalar.q();
                        float[] b = vector.q();
                        double worst = 0;
                        for (int i = 0; i < N; i++) {
                            float sum = 0f;
                            for (int l = 0; l < m; l++) {
                                worst = Math.max(worst, Math.abs(a[i * scalar.stride() + l] - b[i * vector.stride() + l]));
                                sum += b[i * vector.stride() + l];
                            }
                            for (int l = m; l < vector.stride(); l++) {
                                assertThat(b[i * vector.stride() + l]).as("padding lane").isZero();
                            }
                            assertThat(sum).isCloseTo(1f, org.assertj.core.api.Assertions.within(1e-5f));
                        }
                        // the Potts sum over labels is added in another order (lanes, then across them), and the
                        // exponentials differ by up to 3e-7 relative
                        assertThat(worst).as("max |dQ| at m=%d kind=%d step %d", m, kind, step).isLessThan(2e-6);
                        if (step > 0) {
                            assertThat(vector.lastChange()).isCloseTo(scalar.lastChange(),
                                    org.assertj.core.api.Assertions.within(1e-5));
                        }
                        scalar.step();
                        vector.step();
                    }
                }
            }
        }
    }

    @Test
    void paddedStrideGivesTheSameMarginalsAsTheFilterOnUnpaddedValues() {
        // one step by hand: Q1 = softmax(-U - potts * (sum_l' F(l') - F(l))), F = weight * K Q0, Q0 = softmax(-U)
        try (Parallel p = Parallel.create(1)) {
            int m = 6;
            MeanField mf = meanField(m, MeanField.POTTS, false, p, 11);
            int s = mf.stride();
            float[] q0 = new float[N * m];
            for (int i = 0; i < N; i++) {
                System.arraycopy(mf.q(), i * s, q0, i * m, m);
            }
            float[][] inputs = randomInputs(m, new Random(11)); // the same draws as meanField(.., 11)
            float[] unary = inputs[0];
            float[] features = inputs[1];
            float[] f = new float[N * m];
            new ExactGaussianFilter(features, N, 2, p).apply(q0, m, null, null, 2f, f, false);
            mf.step();
            for (int i = 0; i < N; i++) {
                double total = 0;
                for (int l = 0; l < m; l++) {
                    total += f[i * m + l];
                }
                double[] e = new double[m];
                double z = 0;
                for (int l = 0; l < m; l++) {
                    e[l] = Math.exp(-unary[i * m + l] - 1.5 * (total - f[i * m + l]));
                    z += e[l];
                }
                for (int l = 0; l < m; l++) {
                    assertThat((double) mf.q()[i * s + l]).isCloseTo(e[l] / z,
                            org.assertj.core.api.Assertions.within(1e-5));
                }
            }
        }
    }

    @Test
    void vectorUpdateNeedsTheModuleFlagOnlyWhenAskedFor() {
        if (!PermutohedralLattice.VECTOR_API) {
            try (Parallel p = Parallel.create(1)) {
                assertThatThrownBy(() -> meanField(8, MeanField.POTTS, true, p, 1))
                        .hasMessageContaining("--add-modules jdk.incubator.vector");
            }
        }
        try (Parallel p = Parallel.create(1)) {
            assertThat(meanField(8, MeanField.POTTS, false, p, 1).stride()).isEqualTo(8);
        }
    }
}
