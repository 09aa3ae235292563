package org.dcsm.crf.impl;

/**
 * The exact {@link KernelFilter}: the full N×N kernel matrix {@code k_ij = exp(-|f_i - f_j|^2 / 2)} (zero
 * diagonal) computed once in double precision and stored as floats, then applied by dense
 * matrix-times-values products in O(N² m). Meant as the reference for the permutohedral lattice on
 * small images: memory is {@code 4 N²} bytes.
 */
public final class ExactGaussianFilter implements KernelFilter {

    /** Largest pixel count accepted (a 90×90 image; the matrix then takes 262 MB). */
    public static final int MAX_PIXELS = 8100;

    private final int n;
    private final float[] kernel;
    private final Parallel parallel;
    private float[] values = new float[0];
    private int preparedM = -1;

    /**
     * Computes the kernel matrix.
     *
     * @param features N×d row-major features, already divided by their bandwidths; not modified
     * @throws IllegalArgumentException when N exceeds {@link #MAX_PIXELS}
     */
    public ExactGaussianFilter(float[] features, int n, int d, Parallel parallel) {
        if (n > MAX_PIXELS) {
            throw new IllegalArgumentException("The exact dense CRF handles at most " + MAX_PIXELS
                    + " pixels (its kernel matrix takes 4 N² bytes), found " + n);
        }
        this.n = n;
        this.parallel = parallel;
        this.kernel = new float[n * n];
        parallel.forRange(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < n; j++) {
                    if (j == i) {
                        continue;
                    }
                    double d2 = 0;
                    for (int c = 0; c < d; c++) {
                        double diff = (double) features[i * d + c] - features[j * d + c];
                        d2 += diff * diff;
                    }
                    // exp(-0.5 d2) < 1e-30 (d2 > 138) is stored as 0: below float's subnormal range it
                    // would slow the products down by orders of magnitude, for a contribution of < 1e-30
                    kernel[i * n + j] = d2 > 138 ? 0f : (float) Math.exp(-0.5 * d2);
                }
            }
        });
    }

    @Override
    public int pixels() {
        return n;
    }

    @Override
    public Parallel parallel() {
        return parallel;
    }

    /** Snapshots {@code pre ⊙ in}. */
    @Override
    public void prepare(float[] in, int m, float[] pre) {
        if (values.length < n * m) {
            values = new float[n * m];
        }
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < m; k++) {
                values[j * m + k] = pre == null ? in[j * m + k] : pre[j] * in[j * m + k];
            }
        }
        preparedM = m;
    }

    /** Row {@code i} of the kernel matrix times the snapshot, summed in double precision. */
    @Override
    public void slice(int i, float[] in, int m, float[] pre, float[] post, float weight, float[] out, int offset,
                      boolean accumulate, float[] scratch) {
        if (preparedM != m) {
            throw new IllegalStateException("slice with " + m + " values after prepare with " + preparedM);
        }
        double[] acc = new double[m];
        int row = i * n;
        for (int j = 0; j < n; j++) {
            float kij = kernel[row + j];
            if (kij == 0f) {
                continue;
            }
            int base = j * m;
            for (int k = 0; k < m; k++) {
                acc[k] += kij * values[base + k];
            }
        }
        float scale = weight * (post == null ? 1f : post[i]);
        for (int k = 0; k < m; k++) {
            float v = (float) (scale * acc[k]);
            out[offset + k] = accumulate ? out[offset + k] + v : v;
        }
    }
}
