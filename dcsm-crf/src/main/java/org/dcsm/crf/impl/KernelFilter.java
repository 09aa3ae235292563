package org.dcsm.crf.impl;

import org.dcsm.core.impl.Parallel;

/**
 * A Gaussian filter over the pixels of one image: {@code out_i = sum_{j != i} k(f_i, f_j) in_j} with
 * {@code k(f_i, f_j) = exp(-|f_i - f_j|^2 / 2)} on features already divided by their bandwidths (the
 * pairwise kernel of Krähenbühl and Koltun 2011, Eq. 3; DCSM paper Eq. 8). Self-interaction is
 * excluded, as in the energy of Eq. 6, which sums over pairs of distinct pixels, unless the filter was built with the
 * self term (densecrf v2's model, {@code DenseCrf.Builder#selfTerm}): then {@code j = i} is summed too, and the sums
 * and row sums written {@code sum_{j != i}} below run over all {@code j}.
 *
 * <p>Values are pixel-major: value {@code k} of pixel {@code i} is {@code in[i * m + k]}. Implementations
 * own scratch buffers and are not thread-safe; they parallelise internally.
 */
public interface KernelFilter {

    /** Number of pixels N. */
    int pixels();

    /**
     * Filters {@code m} values per pixel and writes (or adds) the scaled result:
     * {@code out_i (+)= weight * post_i * sum_{j != i} k_ij * pre_j * in_j}.
     *
     * @param in         N×m pixel-major input, not modified
     * @param m          values per pixel
     * @param pre        per-pixel factor applied to the input, or null for 1
     * @param post       per-pixel factor applied to the output, or null for 1
     * @param weight     overall factor
     * @param out        N×m pixel-major output, modified
     * @param accumulate whether to add to {@code out} rather than overwrite it
     */
    default void apply(float[] in, int m, float[] pre, float[] post, float weight, float[] out, boolean accumulate) {
        prepare(in, m, pre);
        parallel().forRange(pixels(), (from, to) -> {
            float[] scratch = new float[m];
            for (int i = from; i < to; i++) {
                slice(i, in, m, pre, post, weight, out, i * m, accumulate, scratch);
            }
        });
    }

    /** The threads this filter runs its loops on (given at construction). */
    Parallel parallel();

    /**
     * First half of {@link #apply}: takes what it needs of {@code pre ⊙ in} for all pixels (the splat and blur,
     * or a snapshot), so that {@link #slice} may then run pixel by pixel while {@code in} is overwritten.
     */
    void prepare(float[] in, int m, float[] pre);

    /**
     * Second half of {@link #apply} for one pixel after {@link #prepare}: writes (or adds)
     * {@code weight * post_i * sum_{j != i} k_ij * pre_j * in_j} at {@code out[offset .. offset + m)}. Reads
     * only pixel {@code i} of {@code in}, which must still hold the values given to {@code prepare}. Safe to
     * call from several threads for different pixels.
     *
     * @param scratch at least {@code m} floats the caller owns (per thread)
     */
    void slice(int i, float[] in, int m, float[] pre, float[] post, float weight, float[] out, int offset,
               boolean accumulate, float[] scratch);

    /**
     * {@link #slice} for the pixels {@code from .. to - 1}, pixel {@code i} written (or added) at
     * {@code out[(i - from) * m ..]}: one call per block of pixels instead of one per pixel, so that
     * implementations can run tight loops. Same results as calling {@code slice} pixel by pixel.
     */
    default void sliceRange(int from, int to, float[] in, int m, float[] pre, float[] post, float weight,
                            float[] out, boolean accumulate, float[] scratch) {
        for (int i = from; i < to; i++) {
            slice(i, in, m, pre, post, weight, out, (i - from) * m, accumulate, scratch);
        }
    }

    /** The row sums {@code sum_{j != i} k_ij} per pixel (a new array). */
    default float[] rowSums() {
        float[] ones = new float[pixels()];
        java.util.Arrays.fill(ones, 1f);
        float[] out = new float[pixels()];
        apply(ones, 1, null, null, 1f, out, false);
        return out;
    }
}
