package org.dcsm.core.impl;

import java.util.Objects;

/**
 * The argument checks every dcsm module shares (internal), so that each kind of mistake gets one exception type and
 * one message form (CONTRIBUTING.md, "Errors"):
 * <ul>
 * <li>null: {@link NullPointerException} whose message is the field's name ({@link #notNull});</li>
 * <li>a required setting never given: {@link IllegalStateException} "{@code field} must be set ..." ({@link #set});</li>
 * <li>a bad value: {@link IllegalArgumentException} "{@code field} must be ..., found {@code value}"
 * ({@link #positiveFinite}, {@link #nonNegativeFinite}, {@link #atLeast});</li>
 * <li>NaN or ±Inf in an array: {@link IllegalArgumentException} "Non-finite value {@code v} in {@code what} at
 * index [i, j, k]", the index in the array's own shape ({@link #finite}).</li>
 * </ul>
 * Loads no ND4J class: dcsm-crf's raw-array path uses it without ND4J on the class path.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * @return {@code value}
     * @throws NullPointerException with {@code field} as its message
     */
    public static <T> T notNull(T value, String field) {
        return Objects.requireNonNull(value, field);
    }

    /**
     * A required setting of a builder.
     *
     * @param how what to call, e.g. "(call outputSize(height, width))"; may be empty
     * @throws IllegalStateException "{@code field} must be set {@code how}" when {@code value} is null
     */
    public static <T> T set(T value, String field, String how) {
        if (value == null) {
            throw new IllegalStateException(field + " must be set" + (how.isEmpty() ? "" : " " + how));
        }
        return value;
    }

    /** @throws IllegalArgumentException "{@code field} must be > 0 and finite, found {@code value}" */
    public static double positiveFinite(double value, String field) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be > 0 and finite, found " + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException "{@code field} must be >= 0 and finite, found {@code value}" */
    public static double nonNegativeFinite(double value, String field) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be >= 0 and finite, found " + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException "{@code field} must be >= {@code min}, found {@code value}" */
    public static int atLeast(int value, int min, String field) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", found " + value);
        }
        return value;
    }

    /**
     * Throws on the first NaN or ±Inf of {@code values}, a row-major array of {@code shape} (the product of the
     * shape is {@code values.length}; an empty shape means a flat array).
     *
     * @param what what the array is, for the message ("the energies", "input image")
     * @throws IllegalArgumentException "Non-finite value NaN in {@code what} at index [1, 0, 2]"
     */
    public static void finite(float[] values, String what, long... shape) {
        int bad = ClassMapKernels.firstNonFinite(values, 0, values.length);
        if (bad >= 0) {
            throw nonFinite(values[bad], what, bad, shape);
        }
    }

    /** As {@link #finite(float[], String, long...)} for doubles. */
    public static void finite(double[] values, String what, long... shape) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw nonFinite(values[i], what, i, shape);
            }
        }
    }

    /**
     * The exception {@link #finite} throws, for loops that check as they go ({@code value} is NaN or ±Inf, which
     * print the same as float and double).
     */
    public static IllegalArgumentException nonFinite(double value, String what, long flat, long... shape) {
        return new IllegalArgumentException("Non-finite value " + value + " in " + what + " at index "
                + index(flat, shape));
    }

    /** {@code flat} as a row-major index in {@code shape}: "[i, j, k]" ("[flat]" for an empty shape). */
    public static String index(long flat, long... shape) {
        if (shape.length == 0) {
            return "[" + flat + "]";
        }
        long[] idx = new long[shape.length];
        long rest = flat;
        for (int k = shape.length - 1; k >= 0; k--) {
            idx[k] = shape[k] == 0 ? 0 : rest % shape[k];
            rest = shape[k] == 0 ? rest : rest / shape[k];
        }
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < idx.length; k++) {
            sb.append(k == 0 ? "" : ", ").append(idx[k]);
        }
        return sb.append(']').toString();
    }
}
