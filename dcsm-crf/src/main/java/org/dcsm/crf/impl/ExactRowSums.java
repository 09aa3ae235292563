package org.dcsm.crf.impl;

import org.dcsm.core.impl.Parallel;

/**
 * Exact row sums {@code r_i = sum_{j != i} exp(-|f_i - f_j|^2 / 2)} of a Gaussian kernel matrix, the quantity that
 * calibrates the permutohedral lattice's absolute scale (docs/PERFORMANCE.md, "NONE mode: the lattice's absolute
 * scale"): the lattice's sums are low by a dimension-dependent factor (about 0.88 for d = 2 and 0.6–0.7 for the 5-D
 * bilateral kernel on image features) and by more where the kernel is wider than the image, so unnormalised energies
 * need the exact row sums or an estimate of them.
 */
public final class ExactRowSums {

    private ExactRowSums() {
    }

    /**
     * The row sums of the position-only kernel {@code exp(-|p_i - p_j|^2 / (2 sxy^2))} over a {@code w×h} pixel grid,
     * in O(w² + h²): the kernel is separable, {@code r_(x,y) = Sx(x) Sy(y) - 1} with
     * {@code Sx(x) = sum_x' exp(-(x - x')^2 / (2 sxy^2))}. Exact to double rounding (returned in float).
     *
     * @return a new array, pixel {@code y * w + x}
     */
    public static float[] grid(int w, int h, double sxy) {
        return grid(w, h, sxy, false);
    }

    /** {@link #grid(int, int, double)}, with {@code j = i} (kernel 1) summed too when {@code selfTerm}. */
    public static float[] grid(int w, int h, double sxy, boolean selfTerm) {
        double self = selfTerm ? 0.0 : 1.0;
        double[] sx = axis(w, sxy);
        double[] sy = axis(h, sxy);
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (float) (sx[x] * sy[y] - self);
            }
        }
        return out;
    }

    private static double[] axis(int len, double sxy) {
        double[] g = new double[len];
        for (int k = 0; k < len; k++) {
            g[k] = Math.exp(-0.5 * (k / sxy) * (k / sxy));
        }
        double[] s = new double[len];
        for (int x = 0; x < len; x++) {
            double t = 0;
            for (int x2 = 0; x2 < len; x2++) {
                t += g[Math.abs(x - x2)];
            }
            s[x] = t;
        }
        return s;
    }

    /**
     * The exact row sums of every pixel by {@link ExactGaussianFilter#filterAt}: O(N² d).
     *
     * @param features N×d row-major features, already divided by their bandwidths; not modified
     * @return a new array
     */
    public static float[] all(float[] features, int n, int d, Parallel parallel) {
        return all(features, n, d, parallel, false);
    }

    /** {@link #all(float[], int, int, Parallel)}, with {@code j = i} (kernel 1) summed too when {@code selfTerm}. */
    public static float[] all(float[] features, int n, int d, Parallel parallel, boolean selfTerm) {
        int[] pixels = new int[n];
        java.util.Arrays.setAll(pixels, i -> i);
        return at(features, n, d, pixels, parallel, selfTerm);
    }

    /** The exact row sums of the given pixels only: O(S N d) for S pixels (a new array, one per pixel given). */
    public static float[] at(float[] features, int n, int d, int[] pixels, Parallel parallel) {
        return at(features, n, d, pixels, parallel, false);
    }

    /** {@link #at(float[], int, int, int[], Parallel)}, with {@code j = i} (kernel 1) summed too when {@code selfTerm}. */
    public static float[] at(float[] features, int n, int d, int[] pixels, Parallel parallel, boolean selfTerm) {
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        double[] sums = new ExactGaussianFilter(features, n, d, parallel, PermutohedralLattice.VECTOR_API, selfTerm)
                .filterAt(pixels, ones, 1);
        float[] out = new float[pixels.length];
        for (int s = 0; s < out.length; s++) {
            out[s] = (float) sums[s];
        }
        return out;
    }

    /**
     * One gain for a lattice: exact over lattice row sums, each summed over {@code samples} evenly spread pixels
     * ({@link #evenSample}; O(S N d) for the exact ones); 1 when the lattice's sum is below {@code minRowSum}.
     *
     * @param lattice the lattice's row sums of all N pixels, not modified
     */
    public static float gain(float[] features, int d, float[] lattice, int samples, float minRowSum,
                             Parallel parallel) {
        return gain(features, d, lattice, samples, minRowSum, parallel, false);
    }

    /**
     * {@link #gain(float[], int, float[], int, float, Parallel)} for a lattice with or without the self term: the
     * exact row sums then include {@code j = i} (kernel 1) or not, as the lattice's do.
     */
    public static float gain(float[] features, int d, float[] lattice, int samples, float minRowSum,
                             Parallel parallel, boolean selfTerm) {
        int n = lattice.length;
        int[] sample = evenSample(n, samples);
        float[] exact = at(features, n, d, sample, parallel, selfTerm);
        double e = 0;
        double l = 0;
        for (int s = 0; s < sample.length; s++) {
            e += exact[s];
            l += lattice[sample[s]];
        }
        return l < minRowSum ? 1f : (float) (e / l);
    }

    /**
     * {@code count} pixel indices spread evenly over {@code [0, n)} (every {@code n / count}-th pixel from the middle
     * of the first stride): the same for the same arguments, so that estimates from them are reproducible.
     */
    public static int[] evenSample(int n, int count) {
        int s = Math.min(n, count);
        int[] pixels = new int[s];
        for (int k = 0; k < s; k++) {
            pixels[k] = (int) (((2L * k + 1) * n) / (2L * s));
        }
        return pixels;
    }
}
