package org.dcsm.crf.impl;

/**
 * A fast {@code exp(x)} in float for the mean-field softmax: {@code exp(x) = 2^n * 2^f} with {@code n}
 * the nearest integer to {@code x / ln 2} and {@code 2^f = exp(f ln 2)}, {@code |f ln 2| <= ln2 / 2},
 * from a degree-7 Taylor polynomial (truncation error below 2e-9 relative). The result is within
 * about 3e-7 relative of {@link Math#exp} (float rounding) for {@code -80 <= x <= 88}; below -80 it
 * returns 0 (flushing results that would come close to float's subnormal range, where x86 arithmetic is
 * 10 to 100 times slower), above 88 {@code +Inf}. {@link #expNonPositive} is the cheaper all-float form the
 * mean-field softmax uses (its arguments are never positive).
 */
public final class FastExp {

    private static final float LOG2E = 1.4426950408889634f;
    private static final double LN2 = 0.6931471805599453;


    private FastExp() {
    }

    /** {@code exp(x)} to float precision, see the class comment. */
    public static float exp(float x) {
        if (x < -80f) {
            return 0f; // exp(-80) = 1.8e-35: below this the result would approach the subnormal range
        }
        if (x > 88f) {
            return Float.POSITIVE_INFINITY;
        }
        float t = x * LOG2E;
        int n = (int) (t >= 0f ? t + 0.5f : t - 0.5f); // nearest integer (Math.round is slow)
        double g = (x - n * LN2); // |g| <= ln2/2 (+ rounding)
        double p = 1 + g * (1 + g * (0.5 + g * (1.0 / 6 + g * (1.0 / 24 + g * (1.0 / 120
                + g * (1.0 / 720 + g * (1.0 / 5040)))))));
        // 2^n for n in [-126, 127]; n = -126..-125 near the lower limit is still a normal float
        if (n < -126) {
            return (float) (p * Math.scalb(1.0, n));
        }
        return (float) p * Float.intBitsToFloat((n + 127) << 23);
    }

    /** {@code 2^(j/32)} for j = 0..31, rounded to float. */
    private static final float[] POW2_32 = new float[32];

    static {
        for (int j = 0; j < 32; j++) {
            POW2_32[j] = (float) Math.pow(2, j / 32.0);
        }
    }

    private static final float SCALE_32 = (float) (32 / Math.log(2)); // 32 / ln 2
    private static final float LN2_32_HI = 0.693359375f / 32; // 355/512/32, 9 significant bits: n * LN2_32_HI exact
    private static final float LN2_32_LO = -2.12194440e-4f / 32; // ln 2 - 0.693359375, over 32

    /**
     * {@code exp(x)} for the softmax's {@code x <= 0}, branch-free and all in float: arguments below -80 are
     * raised to -80 (so the result is at least {@code exp(-80) = 1.8e-35} instead of 0; the mean-field
     * softmax, whose largest term is 1, flushes such values to 0 afterwards). With {@code n} the nearest
     * integer to {@code 32 x / ln 2}: {@code exp(x) = 2^(n >> 5) * 2^((n & 31) / 32) * e^g}, {@code g = x - n ln2/32}
     * (two-part ln 2, exact first product, {@code |g| <= ln2/64}), the middle factor from a 32-entry table and
     * {@code e^g} from a degree-3 Taylor polynomial (truncation below 6e-10 relative). Measured in the tests:
     * within 3e-7 relative of {@link Math#exp} on [-80, 0] (1.7e-7 found). Arguments above 0 are not supported.
     */
    public static float expNonPositive(float x) {
        float y = Math.max(x, -80f);
        int n = (int) (y * SCALE_32 - 0.5f); // nearest integer for y <= 0 (the cast truncates towards zero)
        float g = (y - n * LN2_32_HI) - n * LN2_32_LO;
        float p = 1f + g * (1f + g * (0.5f + g * (1f / 6)));
        return p * POW2_32[n & 31] * Float.intBitsToFloat(((n >> 5) + 127) << 23);
    }
}
