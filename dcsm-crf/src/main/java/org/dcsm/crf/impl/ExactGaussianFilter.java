package org.dcsm.crf.impl;

import java.util.Arrays;

import org.dcsm.core.impl.Parallel;

/**
 * The exact {@link KernelFilter}: {@code out_i = sum_{j != i} exp(-|f_i - f_j|^2 / 2) in_j} summed over every pair,
 * the reference for the permutohedral lattice. No N×N matrix is stored: the kernel is recomputed in blocks (a block of
 * output pixels against a block of {@value #BLOCK_J} input pixels, the block's values kept in cache) at every call, so
 * memory is O(N (d + m)) and a call costs O(N² (d + m)). Kernel values whose argument is below
 * {@code -}{@value #CUTOFF}{@code / 2} ({@code exp < 1e-30}) are taken as 0: below float's subnormal range they would
 * slow the sums down by orders of magnitude, for a contribution of < 1e-30 each.
 *
 * <p>Precision: squared distances and kernel values in float (exponential within 3e-7 relative, {@link FastExp} or
 * its vector form), products summed in float within a block of {@value #BLOCK_J} input pixels (fused multiply-add on
 * the vector path) and the blocks' sums in double; the result is rounded to float once.
 *
 * <p>A {@link #windowed} instance sums only over a square spatial window around each pixel, for kernels that vanish
 * outside it (exact there to 1e-8 per pixel left out); it has no size limit.
 *
 * <p>Size limit: {@link #apply}, {@link #prepare}/{@link #slice} of the full filter sum over all N pixels and refuse
 * images of more than {@link #MAX_PIXELS} pixels (N² kernel values per call: 85 million at 96×96, 4.3 billion at
 * the limit; measured speed in docs/PERFORMANCE.md). {@link #filterAt} sums exactly over all N pixels for a chosen sample of output
 * pixels and has no size limit: O(S N (d + m)) for S pixels.
 *
 * <p>Threads: output pixels are split over the given {@link Parallel}; each output's sums run in the same order
 * whatever the thread count, so results are bitwise equal for any thread count. Not thread-safe: the instance holds
 * the snapshot of the values taken by {@link #prepare}.
 */
public final class ExactGaussianFilter implements KernelFilter {

    /**
     * Largest pixel count that {@link #prepare}, {@link #slice} and {@link #apply} accept (256×256): a call over all
     * pixels costs {@code N²} kernel values. {@link #filterAt} has no limit.
     */
    public static final int MAX_PIXELS = 1 << 16;

    /** Squared distances above this give kernel values {@code exp(-69) < 1e-30}, taken as 0. */
    public static final float CUTOFF = 138f;

    /** Input pixels per block: their values (BLOCK_J × m floats) stay in the core's cache while a block of outputs reads them. */
    static final int BLOCK_J = 512;

    /** Output pixels per task in {@link #filterAt}. */
    private static final int BLOCK_I = 32;

    private final int n;
    private final int d;
    private final float[] features;   // dimension-major copy: dimension c of pixel j at [c * n + j]
    private final Parallel parallel;
    private final boolean vector;
    private final int gridWidth;      // the image width of a windowed filter (0 for the full one)
    private final int radius;         // the window's half-width in pixels, -1 for the full sum
    private final boolean selfTerm;   // whether j = i is summed (kernel 1)
    private float[] values = new float[0];
    private int preparedM = -1;

    /**
     * Keeps a copy of the features; builds nothing else.
     *
     * @param features N×d row-major features, already divided by their bandwidths; not modified
     */
    public ExactGaussianFilter(float[] features, int n, int d, Parallel parallel) {
        this(features, n, d, parallel, PermutohedralLattice.VECTOR_API);
    }

    /**
     * As {@link #ExactGaussianFilter(float[], int, int, Parallel)}, choosing the kernel loop: {@code vector} computes
     * the kernel values on the Vector API (only when {@link PermutohedralLattice#VECTOR_API}), false in scalar code.
     * The two exponentials are different polynomials, so results differ by float rounding.
     *
     * @throws IllegalArgumentException when {@code features} is not N×d, or {@code vector} is asked for without the
     *                                  module
     */
    public ExactGaussianFilter(float[] features, int n, int d, Parallel parallel, boolean vector) {
        this(features, n, d, parallel, vector, 0, -1, false);
    }

    /**
     * As {@link #ExactGaussianFilter(float[], int, int, Parallel)}; {@code selfTerm} true sums {@code j = i} too
     * (kernel value 1), as densecrf v2's model does, false sums {@code j != i}.
     */
    public ExactGaussianFilter(float[] features, int n, int d, Parallel parallel, boolean vector, boolean selfTerm) {
        this(features, n, d, parallel, vector, 0, -1, selfTerm);
    }

    /**
     * The exact sums over a square window: {@code out_i = sum exp(-|f_i - f_j|^2 / 2) in_j} over the pixels
     * {@code j != i} with {@code |x_j - x_i| <= radius} and {@code |y_j - y_i| <= radius} on a {@code width}-wide
     * row-major grid. It equals the full sum where the kernel vanishes outside the window (a term whose features
     * include the position divided by {@code sxy}, with {@code radius >= 6.07 sxy}: each pixel left out weighs
     * below 1e-8). Cost O(N (2 radius + 1)² (d + m)) per call; no size limit.
     *
     * @throws IllegalArgumentException when {@code width} does not divide N or {@code radius < 0}
     */
    public static ExactGaussianFilter windowed(float[] features, int n, int d, int width, int radius,
                                               Parallel parallel) {
        return windowed(features, n, d, width, radius, parallel, false);
    }

    /** {@link #windowed(float[], int, int, int, int, Parallel)}, with {@code j = i} summed when {@code selfTerm}. */
    public static ExactGaussianFilter windowed(float[] features, int n, int d, int width, int radius,
                                               Parallel parallel, boolean selfTerm) {
        if (width < 1 || n % width != 0) {
            throw new IllegalArgumentException("width must divide the " + n + " pixels, found " + width);
        }
        if (radius < 0) {
            throw new IllegalArgumentException("radius must be >= 0, found " + radius);
        }
        return new ExactGaussianFilter(features, n, d, parallel, PermutohedralLattice.VECTOR_API, width, radius,
                selfTerm);
    }

    private ExactGaussianFilter(float[] features, int n, int d, Parallel parallel, boolean vector, int gridWidth,
                                int radius, boolean selfTerm) {
        this.selfTerm = selfTerm;
        this.gridWidth = gridWidth;
        this.radius = radius;
        if (vector && !PermutohedralLattice.VECTOR_API) {
            throw new IllegalArgumentException("vector loops need the JVM option --add-modules jdk.incubator.vector");
        }
        if (d < 1) {
            throw new IllegalArgumentException("Feature dimension must be >= 1, found " + d);
        }
        if (features.length != (long) n * d) {
            throw new IllegalArgumentException("Expected " + n + "x" + d + " features, found " + features.length);
        }
        this.n = n;
        this.d = d;
        this.parallel = parallel;
        this.vector = vector;
        this.features = new float[features.length];
        for (int j = 0; j < n; j++) {
            for (int c = 0; c < d; c++) {
                this.features[c * n + j] = features[j * d + c];
            }
        }
    }

    @Override
    public int pixels() {
        return n;
    }

    @Override
    public Parallel parallel() {
        return parallel;
    }

    /**
     * Snapshots {@code pre ⊙ in}.
     *
     * @throws IllegalArgumentException when the image has more than {@link #MAX_PIXELS} pixels
     */
    @Override
    public void prepare(float[] in, int m, float[] pre) {
        if (radius < 0 && n > MAX_PIXELS) {
            throw new IllegalArgumentException("The exact Gaussian filter sums over all pixel pairs of at most "
                    + MAX_PIXELS + " pixels (N² kernel values per call), found " + n
                    + "; filterAt compares a sample of pixels at any size");
        }
        snapshot(in, m, pre);
    }

    private void snapshot(float[] in, int m, float[] pre) {
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

    /** The exact sum for pixel {@code i} over all {@code j != i}. */
    @Override
    public void slice(int i, float[] in, int m, float[] pre, float[] post, float weight, float[] out, int offset,
                      boolean accumulate, float[] scratch) {
        sliceRange(i, i + 1, in, m, pre, post, weight, out, offset, accumulate);
    }

    @Override
    public void sliceRange(int from, int to, float[] in, int m, float[] pre, float[] post, float weight,
                           float[] out, boolean accumulate, float[] scratch) {
        sliceRange(from, to, in, m, pre, post, weight, out, 0, accumulate);
    }

    private void sliceRange(int from, int to, float[] in, int m, float[] pre, float[] post, float weight,
                            float[] out, int outBase, boolean accumulate) {
        if (preparedM != m) {
            throw new IllegalStateException("slice with " + m + " values after prepare with " + preparedM);
        }
        int[] pixels = new int[to - from];
        for (int i = from; i < to; i++) {
            pixels[i - from] = i;
        }
        double[] acc = new double[pixels.length * m];
        sums(pixels, 0, pixels.length, m, acc);
        for (int s = 0; s < pixels.length; s++) {
            int i = pixels[s];
            float scale = weight * (post == null ? 1f : post[i]);
            int o = outBase + s * m;
            for (int k = 0; k < m; k++) {
                float v = (float) (scale * acc[s * m + k]);
                out[o + k] = accumulate ? out[o + k] + v : v;
            }
        }
    }

    /**
     * The exact sums {@code out[s * m + k] = sum_{j != p_s} exp(-|f_{p_s} - f_j|^2 / 2) in[j * m + k]} over all N
     * pixels {@code j}, for the output pixels {@code p_s = pixels[s]} only; any image size. Overwrites the snapshot
     * of {@link #prepare}.
     *
     * @param pixels output pixel indices in {@code [0, N)}, not modified
     * @param in     N×m pixel-major values, not modified
     * @return a new {@code pixels.length × m} array
     * @throws IllegalArgumentException when a pixel index is out of range
     */
    public double[] filterAt(int[] pixels, float[] in, int m) {
        for (int p : pixels) {
            if (p < 0 || p >= n) {
                throw new IllegalArgumentException("pixel index must be in [0, " + n + "), found " + p);
            }
        }
        if (in.length < (long) n * m) {
            throw new IllegalArgumentException("Expected " + n + "x" + m + " values, found " + in.length);
        }
        snapshot(in, m, null);
        double[] out = new double[pixels.length * m];
        int blocks = (pixels.length + BLOCK_I - 1) / BLOCK_I;
        parallel.forChunks(blocks, b -> {
            int from = b * BLOCK_I;
            int to = Math.min(pixels.length, from + BLOCK_I);
            double[] acc = new double[(to - from) * m];
            sums(pixels, from, to, m, acc);
            System.arraycopy(acc, 0, out, from * m, acc.length);
        });
        preparedM = -1; // the snapshot is no longer that of prepare's caller
        return out;
    }

    /**
     * The exact row sums {@code sum_{j != i} k_ij} of every pixel (windowed when this filter is), without the
     * {@link #MAX_PIXELS} limit: {@code N²} kernel values (N times the window for a windowed filter), summed directly
     * instead of filtering a channel of ones through {@link #apply} (bitwise the same sums, 1.6 times faster at 160×120
     * with 5-D features on 2 threads: {@code ExactRowSumsBenchmark}, docs/PERFORMANCE.md). Per pixel, float sums within an input block and double across blocks in
     * increasing order, so the result is bitwise the same for any thread count.
     */
    @Override
    public float[] rowSums() {
        float[] out = new float[n];
        int blocks = (n + BLOCK_I - 1) / BLOCK_I;
        parallel.forChunks(blocks, b -> {
            int from = b * BLOCK_I;
            int to = Math.min(n, from + BLOCK_I);
            double[] acc = new double[to - from];
            float[] kernel = new float[BLOCK_J];
            float[] fi = new float[d];
            if (radius < 0) {
                for (int j0 = 0; j0 < n; j0 += BLOCK_J) {
                    int len = Math.min(BLOCK_J, n - j0);
                    for (int i = from; i < to; i++) {
                        acc[i - from] += segmentSum(i, j0, len, fi, kernel);
                    }
                }
            } else {
                for (int i = from; i < to; i++) {
                    final int pixel = i;
                    windowSegments(i, (j0, len) -> acc[pixel - from] += segmentSum(pixel, j0, len, fi, kernel));
                }
            }
            for (int i = from; i < to; i++) {
                out[i] = (float) acc[i - from];
            }
        });
        return out;
    }

    /** {@code sum_{j in [j0, j0 + len), j != i} k(i, j)} in float, in increasing j. */
    private float segmentSum(int i, int j0, int len, float[] fi, float[] kernel) {
        kernelSegment(i, j0, len, fi, kernel);
        float sum = 0f;
        for (int j = 0; j < len; j++) {
            sum += kernel[j];
        }
        return sum;
    }

    /**
     * {@code acc[(s - from) * m + k] += sum_{j != p} k(p, j) values[j * m + k]} for {@code p = pixels[s]},
     * {@code s = from .. to - 1}: input blocks in increasing order, float sums within a block, double across blocks.
     */
    private void sums(int[] pixels, int from, int to, int m, double[] acc) {
        float[] kernel = new float[BLOCK_J];
        int[] index = new int[BLOCK_J];
        float[] part = new float[m];
        float[] fi = new float[d];
        if (radius < 0) {
            // input blocks outside, so that a block's values stay in cache for all the outputs
            for (int j0 = 0; j0 < n; j0 += BLOCK_J) {
                int len = Math.min(BLOCK_J, n - j0);
                for (int s = from; s < to; s++) {
                    segment(pixels[s], j0, len, m, fi, kernel, index, part, acc, (s - from) * m);
                }
            }
            return;
        }
        // the window: one contiguous segment of input pixels per image row, rows in increasing order
        for (int s = from; s < to; s++) {
            int i = pixels[s];
            int o = (s - from) * m;
            windowSegments(i, (j0, len) -> segment(i, j0, len, m, fi, kernel, index, part, acc, o));
        }
    }

    /** {@code acc[o + k] += sum_{j in [j0, j0 + len), j != i} k(i, j) values[j * m + k]}, float within the segment. */
    private void segment(int i, int j0, int len, int m, float[] fi, float[] kernel, int[] index, float[] part,
                         double[] acc, int o) {
        kernelSegment(i, j0, len, fi, kernel);
        // the non-zero kernel values and their inputs' offsets, in increasing j
        int count = 0;
        for (int j = 0; j < len; j++) {
            if (kernel[j] != 0f) {
                kernel[count] = kernel[j];
                index[count++] = (j0 + j) * m;
            }
        }
        Arrays.fill(part, 0f);
        if (vector && m % VectorKernels.lanes() == 0) {
            VectorKernels.weightedSum(kernel, index, count, values, m, part);
        } else {
            for (int t = 0; t < count; t++) {
                float kij = kernel[t];
                int base = index[t];
                for (int k = 0; k < m; k++) {
                    part[k] += kij * values[base + k];
                }
            }
        }
        for (int k = 0; k < m; k++) {
            acc[o + k] += part[k];
        }
    }

    /** {@code kernel[j] = k(i, j0 + j)} for {@code j < len}, with the self term's {@code k_ii} where it falls. */
    private void kernelSegment(int i, int j0, int len, float[] fi, float[] kernel) {
        for (int c = 0; c < d; c++) {
            fi[c] = features[c * n + i];
        }
        kernelRow(fi, j0, len, kernel);
        if (i >= j0 && i < j0 + len) {
            // j != i: the energy sums over pairs of distinct pixels; with the self term k_ii = exp(0) = 1 exactly
            kernel[i - j0] = selfTerm ? 1f : 0f;
        }
    }

    /** The input segments of pixel {@code i}'s window: one per image row, rows in increasing order, each at most {@link #BLOCK_J} long. */
    private void windowSegments(int i, SegmentVisitor visit) {
        int x = i % gridWidth;
        int y = i / gridWidth;
        int x0 = Math.max(0, x - radius);
        int x1 = Math.min(gridWidth - 1, x + radius);
        int rows = n / gridWidth;
        for (int y2 = Math.max(0, y - radius); y2 <= Math.min(rows - 1, y + radius); y2++) {
            int end = y2 * gridWidth + x1 + 1;
            for (int j0 = y2 * gridWidth + x0; j0 < end; j0 += BLOCK_J) {
                visit.segment(j0, Math.min(BLOCK_J, end - j0));
            }
        }
    }

    /** One input segment {@code [j0, j0 + len)}. */
    @FunctionalInterface
    private interface SegmentVisitor {
        void segment(int j0, int len);
    }

    /** {@code kernel[j] = exp(-|fi - f_{j0 + j}|^2 / 2)} for {@code j < len}, 0 beyond {@link #CUTOFF}. */
    private void kernelRow(float[] fi, int j0, int len, float[] kernel) {
        Arrays.fill(kernel, 0, len, 0f);
        for (int c = 0; c < d; c++) {
            float v = fi[c];
            int base = c * n + j0;
            for (int j = 0; j < len; j++) {
                float diff = v - features[base + j];
                kernel[j] += diff * diff;
            }
        }
        if (vector) {
            VectorKernels.gaussianOfSquared(kernel, len, CUTOFF);
            return;
        }
        for (int j = 0; j < len; j++) {
            float d2 = kernel[j];
            kernel[j] = d2 > CUTOFF ? 0f : FastExp.expNonPositive(-0.5f * d2);
        }
    }
}
