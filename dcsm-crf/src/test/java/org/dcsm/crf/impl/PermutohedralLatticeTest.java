package org.dcsm.crf.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.dcsm.core.impl.Parallel;
import org.junit.jupiter.api.Test;

class PermutohedralLatticeTest {

    private static float[] randomFeatures(Random rnd, int n, int d, double spread) {
        float[] f = new float[n * d];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (spread * rnd.nextDouble());
        }
        return f;
    }

    /**
     * Normalised filtering (a kernel-weighted average of values in [0, 1], the quantity the normalised CRF
     * modes use) against the exact one on random points, d = 1..6: mean absolute difference below 0.03
     * (measured 0.004 to 0.02, growing with d as the lattice gets sparser).
     */
    @Test
    void normalisedGaussianFilteringApproximatesTheExactOne() {
        Random rnd = new Random(7);
        try (Parallel p = Parallel.create(1)) {
            for (int d = 1; d <= 6; d++) {
                int n = 1500;
                float[] f = randomFeatures(rnd, n, d, 4.0);
                float[] values = new float[n * 3];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rnd.nextFloat();
                }
                PermutohedralLattice lattice = PermutohedralLattice.build(f, n, d, p);
                ExactGaussianFilter exact = new ExactGaussianFilter(f, n, d, p);
                float[] a = new float[n * 3];
                float[] b = new float[n * 3];
                lattice.apply(values, 3, null, inverse(lattice.rowSums()), 1f, a, false);
                exact.apply(values, 3, null, inverse(exact.rowSums()), 1f, b, false);
                double err = 0;
                for (int i = 0; i < a.length; i++) {
                    err += Math.abs(a[i] - b[i]);
                }
                assertThat(err / a.length).as("d = %d", d).isLessThan(0.03);
                assertThat(lattice.size()).isGreaterThan(d).isLessThanOrEqualTo(n * (d + 1));
            }
        }
    }

    private static float[] inverse(float[] r) {
        float[] out = new float[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = r[i] < 1e-6f ? 0f : 1f / r[i];
        }
        return out;
    }

    /**
     * The lattice's raw Gaussian sums are biased low, as in densecrf's implementation of the same lattice
     * (its amplitude is only approximately Gaussian and mass leaks through missing lattice points): on the
     * paper's kernels over an image-like scene, lattice / exact row sums are about 0.88 for the 2-D
     * Gaussian (theta_gamma = 3) and about 0.6 for the 5-D bilateral (30, 10). Normalised modes cancel the
     * scale; {@code NONE} inherits it. This test pins the measured ratios.
     */
    @Test
    void rawSumsOnImageFeaturesHaveTheKnownScale() {
        Random rnd = new Random(1);
        int w = 64;
        int h = 48;
        int n = w * h;
        double[][] expected = {{0.80, 0.95}, {0.50, 0.72}};
        for (int kind = 0; kind < 2; kind++) {
            int d = kind == 0 ? 2 : 5;
            double sxy = kind == 0 ? 3 : 30;
            float[] f = new float[n * d];
            for (int i = 0; i < n; i++) {
                int x = i % w;
                int y = i / w;
                f[i * d] = (float) (x / sxy);
                f[i * d + 1] = (float) (y / sxy);
                if (d == 5) {
                    int obj = (x / 20 + y / 16) % 3;
                    for (int c = 0; c < 3; c++) {
                        f[i * d + 2 + c] = (float) ((obj * 50 + c * 20 + 6 * rnd.nextGaussian()) / 10);
                    }
                }
            }
            try (Parallel p = Parallel.create(1)) {
                float[] a = PermutohedralLattice.build(f, n, d, p).rowSums();
                float[] b = new ExactGaussianFilter(f, n, d, p).rowSums();
                double sa = 0;
                double sb = 0;
                for (int i = 0; i < n; i++) {
                    sa += a[i];
                    sb += b[i];
                }
                assertThat(sa / sb).as("d = %d", d).isBetween(expected[kind][0], expected[kind][1]);
            }
        }
    }

    @Test
    void identicalPointsShareOneSimplexAndASinglePointHasNoNeighbours() {
        try (Parallel p = Parallel.create(1)) {
            float[] same = new float[50 * 3];
            java.util.Arrays.fill(same, 1.25f);
            PermutohedralLattice lattice = PermutohedralLattice.build(same, 50, 3, p);
            assertThat(lattice.size()).isEqualTo(4);
            PermutohedralLattice one = PermutohedralLattice.build(new float[] {0.3f, 0.7f}, 1, 2, p);
            assertThat(one.rowSums()[0]).isEqualTo(0f);
        }
    }

    /**
     * Points on a regular grid 10 units apart have k = exp(-50) ≈ 0 between them: every row sum must be
     * (close to) zero, so the self-interaction is removed. Distinct far-apart keys also check that the hash
     * table keeps distinct points apart (3 vertices per point, none shared).
     */
    @Test
    void farApartPointsDoNotInteractAndKeepDistinctLatticePoints() {
        try (Parallel p = Parallel.create(1)) {
            int n = 400;
            float[] f = new float[n * 2];
            for (int i = 0; i < n; i++) {
                f[2 * i] = 10f * (i % 20) + 0.37f;
                f[2 * i + 1] = 10f * (i / 20) + 0.61f;
            }
            PermutohedralLattice lattice = PermutohedralLattice.build(f, n, 2, p);
            assertThat(lattice.size()).isEqualTo(3 * n);
            for (float r : lattice.rowSums()) {
                assertThat(r).isLessThan(1e-3f);
            }
        }
    }

    @Test
    void threadCountDoesNotChangeTheResult() {
        // random 5-D features, and 2-D pixel positions of a 200x100 image (neighbouring pixel ranges share many
        // lattice points, so the merge of the per-range numberings is exercised)
        Random rnd = new Random(3);
        int n = 20000;
        float[] grid = new float[n * 2];
        for (int i = 0; i < n; i++) {
            grid[2 * i] = (i % 200) / 3f;
            grid[2 * i + 1] = (i / 200) / 3f;
        }
        float[][] features = {randomFeatures(rnd, n, 5, 6.0), grid};
        int[] dims = {5, 2};
        float[] values = new float[n * 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = rnd.nextFloat();
        }
        float[] pre = new float[n];
        java.util.Arrays.fill(pre, 0.5f);
        for (int k = 0; k < dims.length; k++) {
            float[] a = new float[values.length];
            PermutohedralLattice l1;
            try (Parallel one = Parallel.create(1)) {
                l1 = PermutohedralLattice.build(features[k], n, dims[k], one);
                l1.apply(values, 4, pre, null, 2f, a, false);
            }
            for (int threads : new int[] {2, 3}) {
                float[] b = new float[values.length];
                try (Parallel many = Parallel.create(threads)) {
                    PermutohedralLattice l2 = PermutohedralLattice.build(features[k], n, dims[k], many);
                    assertThat(l2.size()).isEqualTo(l1.size());
                    assertThat(l2.bytes(4)).isEqualTo(l1.bytes(4));
                    l2.apply(values, 4, pre, null, 2f, b, false);
                }
                for (int i = 0; i < a.length; i++) {
                    assertThat(Float.floatToIntBits(b[i])).as("d=%d threads=%d index %d", dims[k], threads, i)
                            .isEqualTo(Float.floatToIntBits(a[i]));
                }
            }
        }
    }

    @Test
    void vectorLoopsAreBitwiseEqualToScalarLoops() {
        // surefire runs this module with --add-modules jdk.incubator.vector, so both paths are compared here
        assertThat(PermutohedralLattice.VECTOR_API).as("Vector API module present in the test JVM").isTrue();
        Random rnd = new Random(5);
        int n = 6000;
        int m = 21; // two 8-lane vectors and a 5-label scalar tail (or one 16-lane vector and the tail)
        for (int d : new int[] {2, 5}) {
            float[] f = randomFeatures(rnd, n, d, 4.0);
            float[] values = new float[n * m];
            for (int i = 0; i < values.length; i++) {
                values[i] = rnd.nextFloat();
            }
            float[] pre = new float[n];
            float[] post = new float[n];
            for (int i = 0; i < n; i++) {
                pre[i] = 0.5f + rnd.nextFloat();
                post[i] = 0.5f + rnd.nextFloat();
            }
            for (int threads : new int[] {1, 2}) {
                try (Parallel p = Parallel.create(threads)) {
                    PermutohedralLattice scalar = PermutohedralLattice.build(f, n, d, p, false);
                    PermutohedralLattice vector = PermutohedralLattice.build(f, n, d, p, true);
                    scalar.prepare(values, m, pre);
                    vector.prepare(values, m, pre);
                    for (boolean accumulate : new boolean[] {false, true}) {
                        float[] a = new float[64 * m];
                        float[] b = new float[64 * m];
                        java.util.Arrays.fill(a, 0.25f);
                        java.util.Arrays.fill(b, 0.25f);
                        for (int from = 0; from < n; from += 64) {
                            int to = Math.min(n, from + 64);
                            scalar.sliceRange(from, to, values, m, pre, post, 1.5f, a, accumulate, new float[m]);
                            vector.sliceRange(from, to, values, m, pre, post, 1.5f, b, accumulate, new float[m]);
                            for (int i = 0; i < (to - from) * m; i++) {
                                assertThat(Float.floatToIntBits(b[i])).as("d=%d threads=%d pixel %d", d, threads,
                                        from + i / m).isEqualTo(Float.floatToIntBits(a[i]));
                            }
                        }
                        assertThat(a).as("the slice wrote something").isNotEqualTo(new float[64 * m]);
                    }
                }
            }
        }
    }
}
