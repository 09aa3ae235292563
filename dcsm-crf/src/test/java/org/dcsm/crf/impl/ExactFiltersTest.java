package org.dcsm.crf.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.dcsm.core.impl.Parallel;
import org.junit.jupiter.api.Test;

/**
 * The exact filters against a naive double-precision sum over all pairs, against each other, and across thread
 * counts: {@link ExactGaussianFilter} (full, sampled, windowed), {@link SeparableGaussianFilter} and
 * {@link ExactRowSums}.
 */
class ExactFiltersTest {

    private static final int W = 23;
    private static final int H = 17;
    private static final int N = W * H;

    /** Grid positions divided by {@code sxy}, then {@code extra} random dimensions in [0, spread). */
    private static float[] features(double sxy, int extra, double spread, long seed) {
        Random rnd = new Random(seed);
        int d = 2 + extra;
        float[] f = new float[N * d];
        for (int i = 0; i < N; i++) {
            f[i * d] = (float) ((i % W) / sxy);
            f[i * d + 1] = (float) ((i / W) / sxy);
            for (int c = 0; c < extra; c++) {
                f[i * d + 2 + c] = (float) (spread * rnd.nextDouble());
            }
        }
        return f;
    }

    private static float[] values(int m, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[N * m];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat();
        }
        return v;
    }

    /** {@code sum_{j != i} exp(-|f_i - f_j|^2 / 2) pre_j v_j} in double. */
    private static double[] naive(float[] f, int d, float[] v, int m, float[] pre) {
        double[] out = new double[N * m];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                if (j == i) {
                    continue;
                }
                double d2 = 0;
                for (int c = 0; c < d; c++) {
                    double diff = (double) f[i * d + c] - f[j * d + c];
                    d2 += diff * diff;
                }
                double k = Math.exp(-0.5 * d2) * (pre == null ? 1 : pre[j]);
                for (int l = 0; l < m; l++) {
                    out[i * m + l] += k * v[j * m + l];
                }
            }
        }
        return out;
    }

    private static void assertClose(float[] actual, double[] expected, double rtol) {
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("element %d", i)
                    .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(rtol * Math.abs(expected[i]) + 1e-6));
        }
    }

    @Test
    void fullFilterMatchesTheNaiveSumForVectorAndScalarLoopsAndAnyThreadCount() {
        float[] f = features(4, 3, 3.0, 1);
        float[] v = values(8, 2); // 8 values: the vector sum runs when the JVM has the module
        double[] expected = naive(f, 5, v, 8, null);
        float[] first = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (Parallel p = Parallel.create(threads)) {
                float[] out = new float[N * 8];
                new ExactGaussianFilter(f, N, 5, p).apply(v, 8, null, null, 1f, out, false);
                assertClose(out, expected, 2e-5);
                if (first == null) {
                    first = out;
                } else {
                    assertArrayEquals(first, out, "bitwise equal for " + threads + " threads");
                }
                float[] scalar = new float[N * 8];
                new ExactGaussianFilter(f, N, 5, p, false).apply(v, 8, null, null, 1f, scalar, false);
                assertClose(scalar, expected, 2e-5);
            }
        }
    }

    @Test
    void sampledSumsEqualTheFullFilterAtThosePixels() {
        float[] f = features(2.5, 1, 2.0, 3);
        float[] v = values(3, 4);
        try (Parallel p = Parallel.create(2)) {
            ExactGaussianFilter filter = new ExactGaussianFilter(f, N, 3, p);
            float[] full = new float[N * 3];
            filter.apply(v, 3, null, null, 1f, full, false);
            int[] pixels = {0, 5, N - 1, 200, 5};
            double[] at = filter.filterAt(pixels, v, 3);
            for (int s = 0; s < pixels.length; s++) {
                for (int l = 0; l < 3; l++) {
                    assertThat((float) at[s * 3 + l]).isEqualTo(full[pixels[s] * 3 + l]);
                }
            }
            assertThat(assertThrows(IllegalArgumentException.class, () -> filter.filterAt(new int[] {N}, v, 3))
                    .getMessage()).contains("pixel index must be in [0, " + N + "), found " + N);
        }
    }

    /** A window of 6.07 sxy leaves out only kernel values below 1e-8: it equals the full sum to float rounding. */
    @Test
    void windowedFilterMatchesTheFullOneWhereTheKernelVanishesOutsideTheWindow() {
        double sxy = 1.5;
        int radius = (int) Math.ceil(sxy * Math.sqrt(-2 * Math.log(1e-8)));
        float[] f = features(sxy, 3, 2.0, 5);
        float[] v = values(4, 6);
        float[] pre = values(1, 7);
        double[] expected = naive(f, 5, v, 4, pre);
        try (Parallel p = Parallel.create(2)) {
            float[] out = new float[N * 4];
            ExactGaussianFilter.windowed(f, N, 5, W, radius, p).apply(v, 4, pre, null, 1f, out, false);
            assertClose(out, expected, 2e-5);
            assertThat(assertThrows(IllegalArgumentException.class,
                    () -> ExactGaussianFilter.windowed(f, N, 5, 22, radius, p)).getMessage())
                    .contains("width must divide the " + N + " pixels, found 22");
            assertThat(assertThrows(IllegalArgumentException.class,
                    () -> ExactGaussianFilter.windowed(f, N, 5, W, -1, p)).getMessage())
                    .contains("radius must be >= 0, found -1");
        }
    }

    @Test
    void separableFilterMatchesTheNaiveSumWithFactorsForNarrowAndWideKernels() {
        for (double sxy : new double[] {0.7, 3, 40}) {
            float[] f = features(sxy, 0, 0, 0);
            float[] v = values(3, 8);
            float[] pre = values(1, 9);
            float[] post = values(1, 10);
            double[] expected = naive(f, 2, v, 3, pre);
            for (int i = 0; i < N; i++) {
                for (int l = 0; l < 3; l++) {
                    expected[i * 3 + l] *= 0.5 * post[i];
                }
            }
            try (Parallel p = Parallel.create(2)) {
                float[] out = new float[N * 3];
                new SeparableGaussianFilter(W, H, sxy, p).apply(v, 3, pre, post, 0.5f, out, false);
                assertClose(out, expected, 1e-5);
            }
        }
        try (Parallel p = Parallel.create(1)) {
            assertThat(assertThrows(IllegalArgumentException.class, () -> new SeparableGaussianFilter(W, H, 0, p))
                    .getMessage()).contains("sxy must be > 0 and finite, found 0.0");
            assertThat(assertThrows(IllegalArgumentException.class, () -> new SeparableGaussianFilter(0, H, 1, p))
                    .getMessage()).contains("Image size must be positive, found 0x" + H);
        }
    }

    @Test
    void gridRowSumsAreTheExactOnes() {
        for (double sxy : new double[] {0.8, 3, 80}) {
            float[] f = features(sxy, 0, 0, 0);
            float[] ones = new float[N];
            java.util.Arrays.fill(ones, 1f);
            double[] expected = naive(f, 2, ones, 1, null);
            float[] grid = ExactRowSums.grid(W, H, sxy);
            assertClose(grid, expected, 1e-6);
            try (Parallel p = Parallel.create(2)) {
                assertClose(ExactRowSums.all(f, N, 2, p), expected, 2e-5);
            }
        }
        assertThat(ExactRowSums.evenSample(10, 4)).containsExactly(1, 3, 6, 8);
        assertThat(ExactRowSums.evenSample(3, 5)).containsExactly(0, 1, 2);
    }

    @Test
    void fullFilterRefusesImagesOverItsLimit() {
        int n = ExactGaussianFilter.MAX_PIXELS + 1;
        try (Parallel p = Parallel.create(1)) {
            ExactGaussianFilter filter = new ExactGaussianFilter(new float[n], n, 1, p);
            assertThat(assertThrows(IllegalArgumentException.class,
                    () -> filter.prepare(new float[n], 1, null)).getMessage())
                    .contains("at most 65536 pixels").contains("found 65537").contains("filterAt");
            assertThat(filter.filterAt(new int[] {0}, new float[n], 1)).containsExactly(0.0);
        }
    }

    /** The direct row sums equal the naive double sum, full and windowed, with and without the self term, for 1 and 3 threads. */
    @Test
    void rowSumsEqualTheNaiveSumsForAnyThreadCount() {
        float[] f = features(4, 3, 2.0, 31);
        float[] ones = new float[N];
        java.util.Arrays.fill(ones, 1f);
        double[] naive = naive(f, 5, ones, 1, null);
        try (Parallel one = Parallel.create(1); Parallel three = Parallel.create(3)) {
            for (boolean self : new boolean[] {false, true}) {
                float[] a = new ExactGaussianFilter(f, N, 5, one, false, self).rowSums();
                float[] b = new ExactGaussianFilter(f, N, 5, three, false, self).rowSums();
                assertArrayEquals(a, b);
                for (int i = 0; i < N; i++) {
                    assertThat((double) a[i]).as("pixel %d, self %s", i, self)
                            .isCloseTo(naive[i] + (self ? 1 : 0), org.assertj.core.api.Assertions.within(1e-5 * (1 + naive[i])));
                }
            }
            // a window of 3 pixels: the windowed row sums equal the windowed filter of ones
            ExactGaussianFilter windowed = ExactGaussianFilter.windowed(f, N, 5, W, 3, three);
            float[] viaApply = new float[N];
            windowed.apply(ones, 1, null, null, 1f, viaApply, false);
            float[] direct = windowed.rowSums();
            for (int i = 0; i < N; i++) {
                assertThat(direct[i]).as("windowed pixel %d", i)
                        .isCloseTo(viaApply[i], org.assertj.core.api.Assertions.within(1e-5f * (1 + viaApply[i])));
            }
        }
    }
}
