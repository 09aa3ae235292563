package org.dcsm.crf.impl;

import org.dcsm.core.impl.Checks;
import org.dcsm.core.impl.Parallel;


/**
 * The position-only Gaussian {@code exp(-|p_i - p_j|^2 / (2 sxy^2))} over a {@code W×H} pixel grid as a
 * {@link KernelFilter}, summed exactly by its separability: a horizontal then a vertical 1-D convolution with the
 * taps {@code exp(-k^2 / (2 sxy^2))}, {@code |k| <= R}, then the pixel's own value subtracted (the sum runs over
 * {@code j != i}). Taps below {@link #MIN_TAP} ({@code R = ceil(6.07 sxy)}) are left out: the mass they carry is
 * below {@code 1e-8} of a row sum, far below float rounding. Cost per call O(N (2R + 1) m) for both passes,
 * independent of the image's content.
 *
 * <p>Threads: rows (then rows of the vertical pass) are split over the given {@link Parallel}; every output's sum
 * runs in the same order whatever the thread count (bitwise equal results). Not thread-safe: holds its buffers.
 */
public final class SeparableGaussianFilter implements KernelFilter {

    /** Floats per column strip of the vertical pass. */
    private static final int COLUMNS = 512;

    /** Smallest tap kept, relative to the centre tap 1. */
    public static final double MIN_TAP = 1e-8;

    private final int w;
    private final int h;
    private final int radius;
    private final float[] taps;
    private final Parallel parallel;
    private final boolean selfTerm;
    private float[] horizontal = new float[0];
    private float[] blurred = new float[0];
    private float[] weighted = new float[0];
    private int preparedM = -1;

    /**
     * @param sxy the bandwidth in pixels, finite and > 0
     * @throws IllegalArgumentException on a bad size or bandwidth
     */
    public SeparableGaussianFilter(int w, int h, double sxy, Parallel parallel) {
        this(w, h, sxy, parallel, false);
    }

    /**
     * As {@link #SeparableGaussianFilter(int, int, double, Parallel)}; {@code selfTerm} true keeps {@code j = i} (weight
     * 1) in the sums, false leaves it out.
     */
    public SeparableGaussianFilter(int w, int h, double sxy, Parallel parallel, boolean selfTerm) {
        this.selfTerm = selfTerm;
        if (w < 1 || h < 1) {
            throw new IllegalArgumentException("Image size must be positive, found " + w + "x" + h);
        }
        Checks.positiveFinite(sxy, "sxy");
        this.w = w;
        this.h = h;
        this.parallel = parallel;
        int r = (int) Math.ceil(sxy * Math.sqrt(-2 * Math.log(MIN_TAP)));
        this.radius = Math.min(r, Math.max(w, h) - 1);
        this.taps = new float[radius + 1];
        for (int k = 0; k <= radius; k++) {
            taps[k] = (float) Math.exp(-0.5 * (k / sxy) * (k / sxy));
        }
    }

    /** The tap radius R: the filter sums over {@code |dx|, |dy| <= R}. */
    public int radius() {
        return radius;
    }

    @Override
    public int pixels() {
        return w * h;
    }

    @Override
    public Parallel parallel() {
        return parallel;
    }

    /**
     * Both 1-D passes over {@code pre ⊙ in}, the self term included (removed in the slice). Each pass adds whole
     * shifted rows, {@code out[x] += t_k in[x + k]} over the valid {@code x} for one tap at a time: long contiguous
     * loops that the JIT vectorises.
     */
    @Override
    public void prepare(float[] in, int m, float[] pre) {
        int n = w * h;
        if (horizontal.length < n * m) {
            horizontal = new float[n * m];
            blurred = new float[n * m];
            weighted = new float[n * m];
        }
        final float[] src;
        if (pre == null) {
            src = in;
        } else {
            src = weighted;
            parallel.forRange(n, (from, to) -> {
                for (int j = from; j < to; j++) {
                    for (int k = 0; k < m; k++) {
                        src[j * m + k] = pre[j] * in[j * m + k];
                    }
                }
            });
        }
        final float[] hz = horizontal;
        final int rowLen = w * m;
        parallel.forRange(h, (from, to) -> {
            for (int y = from; y < to; y++) {
                int o = y * rowLen;
                System.arraycopy(src, o, hz, o, rowLen); // the centre tap, 1
                for (int dx = 1; dx <= Math.min(radius, w - 1); dx++) {
                    float t = taps[dx];
                    int len = (w - dx) * m;
                    int shift = dx * m;
                    axpy(hz, o, t, src, o + shift, len); // right neighbours
                    axpy(hz, o + shift, t, src, o, len); // left neighbours
                }
            }
        });
        // vertical: in column strips of COLUMNS floats, so that the 2R + 1 source rows of a strip stay in cache
        final float[] out = blurred;
        final int strips = (rowLen + COLUMNS - 1) / COLUMNS;
        parallel.forRange(strips, (from, to) -> {
            for (int c = from; c < to; c++) {
                int c0 = c * COLUMNS;
                int c1 = Math.min(rowLen, c0 + COLUMNS);
                for (int y = 0; y < h; y++) {
                    int o = y * rowLen;
                    System.arraycopy(hz, o + c0, out, o + c0, c1 - c0);
                    for (int y2 = Math.max(0, y - radius); y2 <= Math.min(h - 1, y + radius); y2++) {
                        if (y2 == y) {
                            continue;
                        }
                        float t = taps[Math.abs(y2 - y)];
                        int s = y2 * rowLen;
                        axpy(out, o + c0, t, hz, s + c0, c1 - c0);
                    }
                }
            }
        });
        preparedM = m;
    }

    /** {@code y[yo + k] += t * x[xo + k]}, on the Vector API where the JVM has it (the same float operations). */
    private static void axpy(float[] y, int yo, float t, float[] x, int xo, int len) {
        if (PermutohedralLattice.VECTOR_API) {
            VectorKernels.axpy(y, yo, t, x, xo, len);
            return;
        }
        for (int k = 0; k < len; k++) {
            y[yo + k] += t * x[xo + k];
        }
    }

    /** {@code weight * post_i * (blurred_i - pre_i in_i)}: the separable sum without the pixel's own term. */
    @Override
    public void slice(int i, float[] in, int m, float[] pre, float[] post, float weight, float[] out, int offset,
                      boolean accumulate, float[] scratch) {
        if (preparedM != m) {
            throw new IllegalStateException("slice with " + m + " values after prepare with " + preparedM);
        }
        float self = selfTerm ? 0f : pre == null ? 1f : pre[i];
        float scale = weight * (post == null ? 1f : post[i]);
        int b = i * m;
        for (int k = 0; k < m; k++) {
            float v = Math.max(0f, blurred[b + k] - self * in[b + k]) * scale;
            out[offset + k] = accumulate ? out[offset + k] + v : v;
        }
    }
}
