package org.dcsm.crf.impl;

/**
 * A fast {@code exp(x)} in float for the mean-field softmax: {@code exp(x) = 2^n * 2^f} with {@code n}
 * the nearest integer to {@code x / ln 2} and {@code 2^f = exp(f ln 2)}, {@code |f ln 2| <= ln2 / 2},
 * from a degree-7 Taylor polynomial (truncation error below 2e-9 relative). The result is within
 * about 3e-7 relative of {@link Math#exp} (float rounding) for {@code -80 <= x <= 88}; below -80 it
 * returns 0 (flushing results that would come close to float's subnormal range, where x86 arithmetic is
 * 10 to 100 times slower), above 88 {@code +Inf}.
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
}
