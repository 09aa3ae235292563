package org.dcsm.crf;

/**
 * How each pairwise kernel's messages are normalised, after the {@code NormalizationType} of
 * Krähenbühl's densecrf v2 code. With {@code K} the kernel matrix ({@code k_ij}, zero diagonal) and
 * {@code r_i = sum_{j != i} k_ij} its row sums, the message of one term is
 * {@code w * post ⊙ K (pre ⊙ Q)}:
 *
 * <ul>
 *   <li>{@link #NONE}: {@code pre = post = 1}, the energy of the paper's Eq. 6 and 8 as written. The
 *       messages grow with the number of similar pixels around {@code i} (hundreds to thousands for
 *       {@code theta_alpha = 30}), so with w = 1 the pairwise term dominates the unary and smooths strongly.</li>
 *   <li>{@link #MEAN}: {@code pre = 1}, {@code post = 1 / mean_i r_i}: one global scale. This is what
 *       densecrf v2 calls {@code NO_NORMALIZATION}.</li>
 *   <li>{@link #BEFORE}: {@code pre_j = 1 / r_j}, {@code post = 1}: each pixel sends a unit of mass in total.</li>
 *   <li>{@link #AFTER}: {@code pre = 1}, {@code post_i = 1 / r_i}: the message is a weighted average of the
 *       neighbours' Q (as densecrf v1 did), so it lies in [0, w] per label.</li>
 *   <li>{@link #SYMMETRIC}: {@code pre = post = 1 / sqrt(r)}, the symmetric normalisation
 *       {@code D^-1/2 K D^-1/2}; densecrf v2's (and pydensecrf's) default.</li>
 * </ul>
 *
 * <p>Pixels whose row sum is below {@link #MIN_ROW_SUM} (no similar pixel anywhere) get factor 0 in the
 * normalised modes: they receive and send no message. Only {@code NONE}, {@code MEAN} and {@code SYMMETRIC}
 * keep the kernel matrix symmetric, so only for them is the mean-field free energy the quantity that the
 * updates decrease.
 */
public enum KernelNormalization {
    NONE, MEAN, BEFORE, AFTER, SYMMETRIC;

    /** Row sums below this count as "no neighbours" in the normalised modes. */
    public static final float MIN_ROW_SUM = 1e-6f;

    /** {pre, post} factors (null for 1) for the given row sums. */
    float[][] factors(float[] rowSums) {
        int n = rowSums.length;
        switch (this) {
            case NONE:
                return new float[][] {null, null};
            case MEAN: {
                double s = 0;
                for (float r : rowSums) {
                    s += r;
                }
                double mean = s / n;
                float[] post = new float[n];
                java.util.Arrays.fill(post, mean < MIN_ROW_SUM ? 0f : (float) (1.0 / mean));
                return new float[][] {null, post};
            }
            default: {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    float r = rowSums[i];
                    f[i] = r < MIN_ROW_SUM ? 0f : (float) (this == SYMMETRIC ? 1.0 / Math.sqrt(r) : 1.0 / r);
                }
                return switch (this) {
                    case BEFORE -> new float[][] {f, null};
                    case AFTER -> new float[][] {null, f};
                    default -> new float[][] {f, f};
                };
            }
        }
    }
}
