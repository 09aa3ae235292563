package org.dcsm.crf.impl;

import java.util.Arrays;

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

    /** Smallest tap kept, relative to the centre tap 1. */
    public static final double MIN_TAP = 1e-8;

    private final int w;
    private final int h;
    private final int radius;
    private final float[] taps;
    private final Parallel parallel;
    private float[] horizontal = new float[0];
    private float[] blurred = new float[0];
    private int preparedM = -1;

    /**
     * @param sxy the bandwidth in pixels, finite and > 0
     * @throws IllegalArgumentException on a bad size or bandwidth
     */
    public SeparableGaussianFilter(int w, int h, double sxy, Parallel parallel) {
        if (w < 1 || h < 1) {
            throw new IllegalArgumentException("Image size must be positive, found " + w + "x" + h);
        }
        if (!(sxy > 0) || !Double.isFinite(sxy)) {
            throw new IllegalArgumentException("sxy must be finite and > 0, found " + sxy);
        }
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

    /** Both 1-D passes over {@code pre ⊙ in}, the self term included (removed in the slice). */
    @Override
    public void prepare(float[] in, int m, float[] pre) {
        int n = w * h;
        if (horizontal.length < n * m) {
            horizontal = new float[n * m];
            blurred = new float[n * m];
        }
        final float[] hz = horizontal;
        parallel.forRange(h, (from, to) -> {
            float[] acc = new float[m];
            for (int y = from; y < to; y++) {
                int row = y * w;
                for (int x = 0; x < w; x++) {
                    Arrays.fill(acc, 0f);
                    int x0 = Math.max(0, x - radius);
                    int x1 = Math.min(w - 1, x + radius);
                    for (int x2 = x0; x2 <= x1; x2++) {
                        int j = row + x2;
                        float t = taps[Math.abs(x2 - x)] * (pre == null ? 1f : pre[j]);
                        int b = j * m;
                        for (int k = 0; k < m; k++) {
                            acc[k] += t * in[b + k];
                        }
                    }
                    System.arraycopy(acc, 0, hz, (row + x) * m, m);
                }
            }
        });
        final float[] out = blurred;
        parallel.forRange(h, (from, to) -> {
            int rowLen = w * m;
            for (int y = from; y < to; y++) {
                int o = y * rowLen;
                Arrays.fill(out, o, o + rowLen, 0f);
                int y0 = Math.max(0, y - radius);
                int y1 = Math.min(h - 1, y + radius);
                for (int y2 = y0; y2 <= y1; y2++) {
                    float t = taps[Math.abs(y2 - y)];
                    int s = y2 * rowLen;
                    for (int k = 0; k < rowLen; k++) {
                        out[o + k] += t * hz[s + k];
                    }
                }
            }
        });
        preparedM = m;
    }

    /** {@code weight * post_i * (blurred_i - pre_i in_i)}: the separable sum without the pixel's own term. */
    @Override
    public void slice(int i, float[] in, int m, float[] pre, float[] post, float weight, float[] out, int offset,
                      boolean accumulate, float[] scratch) {
        if (preparedM != m) {
            throw new IllegalStateException("slice with " + m + " values after prepare with " + preparedM);
        }
        float self = pre == null ? 1f : pre[i];
        float scale = weight * (post == null ? 1f : post[i]);
        int b = i * m;
        for (int k = 0; k < m; k++) {
            float v = Math.max(0f, blurred[b + k] - self * in[b + k]) * scale;
            out[offset + k] = accumulate ? out[offset + k] + v : v;
        }
    }
}
