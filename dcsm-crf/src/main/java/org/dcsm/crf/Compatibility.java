package org.dcsm.crf;

import java.util.Arrays;
import java.util.Objects;

import org.dcsm.core.impl.Checks;

/**
 * The label compatibility {@code mu(l, l')} of the pairwise potential
 * {@code psi_p(x_i, x_j) = mu(x_i, x_j) sum_m w_m k_m(f_i, f_j)} (Krähenbühl and Koltun 2011, Eq. 2;
 * DCSM paper Eq. 6, where {@code u(c_i, c_j)} is the Potts model). An energy: positive entries
 * penalise the label pair. Immutable.
 *
 * <ul>
 *   <li>{@link #potts()} / {@link #potts(double)}: {@code mu(l, l') = w [l != l']}, the paper's choice.</li>
 *   <li>{@link #diagonal(double...)}: {@code mu(l, l') = -d_l [l == l']}, a per-label reward for agreeing
 *       neighbours; with all {@code d_l = w} it gives the same marginals as {@code potts(w)} (the two differ
 *       by a per-pixel constant that the normalisation cancels), and a larger {@code d_l} makes label
 *       {@code l} spread more. (Krähenbühl's densecrf applies its "diagonal compatibility" with the
 *       opposite sign; here every form is an energy.)</li>
 *   <li>{@link #matrix(double[][])}: any M×M matrix; should be symmetric for the mean-field objective
 *       to be well defined, which is not enforced.</li>
 * </ul>
 */
public final class Compatibility {

    enum Kind { POTTS, DIAGONAL, MATRIX }

    private final Kind kind;
    private final float potts;
    private final float[] values;
    private final int labels;

    private Compatibility(Kind kind, float potts, float[] values, int labels) {
        this.kind = kind;
        this.potts = potts;
        this.values = values;
        this.labels = labels;
    }

    /** The Potts model with weight 1 (paper Eq. 6). */
    public static Compatibility potts() {
        return potts(1.0);
    }

    /**
     * The Potts model {@code mu = w [l != l']}.
     *
     * @throws IllegalArgumentException when {@code w} is negative or not finite
     */
    public static Compatibility potts(double w) {
        Checks.nonNegativeFinite(w, "Potts weight");
        return new Compatibility(Kind.POTTS, (float) w, new float[0], -1);
    }

    /**
     * Per-label agreement rewards {@code mu(l, l') = -d_l [l == l']}, one value per label.
     *
     * @throws IllegalArgumentException when no value is given or one is not finite
     */
    public static Compatibility diagonal(double... perLabel) {
        Objects.requireNonNull(perLabel, "perLabel");
        if (perLabel.length == 0) {
            throw new IllegalArgumentException("A diagonal compatibility needs one value per label, found none");
        }
        float[] v = new float[perLabel.length];
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(perLabel[i])) {
                throw new IllegalArgumentException("Diagonal compatibility value " + i + " must be finite, found "
                        + perLabel[i]);
            }
            v[i] = (float) perLabel[i];
        }
        return new Compatibility(Kind.DIAGONAL, 0f, v, v.length);
    }

    /**
     * A full M×M compatibility matrix {@code mu[l][l']} (copied).
     *
     * @throws IllegalArgumentException when the matrix is empty, not square or holds a non-finite value
     */
    public static Compatibility matrix(double[][] mu) {
        Objects.requireNonNull(mu, "mu");
        int m = mu.length;
        if (m == 0) {
            throw new IllegalArgumentException("A compatibility matrix needs at least one row, found none");
        }
        float[] v = new float[m * m];
        for (int l = 0; l < m; l++) {
            if (mu[l] == null || mu[l].length != m) {
                throw new IllegalArgumentException("A compatibility matrix must be square: it has " + m
                        + " rows but row " + l + " has " + (mu[l] == null ? "no" : mu[l].length) + " columns");
            }
            for (int k = 0; k < m; k++) {
                if (!Double.isFinite(mu[l][k])) {
                    throw new IllegalArgumentException("Compatibility matrix entry (" + l + ", " + k
                            + ") must be finite, found " + mu[l][k]);
                }
                v[l * m + k] = (float) mu[l][k];
            }
        }
        return new Compatibility(Kind.MATRIX, 0f, v, m);
    }

    /** The number of labels this compatibility is made for, or -1 for Potts (any number). */
    public int labels() {
        return labels;
    }

    /** {@code mu(l, l')} for labels {@code l}, {@code l'}. */
    public double value(int l, int lPrime) {
        return switch (kind) {
            case POTTS -> l == lPrime ? 0 : potts;
            case DIAGONAL -> l == lPrime ? -values[l] : 0;
            case MATRIX -> values[l * labels + lPrime];
        };
    }

    Kind kind() {
        return kind;
    }

    float pottsWeight() {
        return potts;
    }

    float[] valuesView() {
        return values;
    }

    /** Throws unless this compatibility fits {@code m} labels. */
    void requireLabels(int m) {
        if (labels >= 0 && labels != m) {
            throw new IllegalArgumentException("The " + (kind == Kind.MATRIX ? "compatibility matrix is " + labels
                    + "x" + labels : "diagonal compatibility has " + labels + " values") + " but the unary has "
                    + m + " labels");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Compatibility c && kind == c.kind && potts == c.potts && Arrays.equals(values, c.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * kind.hashCode() + Float.hashCode(potts)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case POTTS -> "Potts(" + potts + ")";
            case DIAGONAL -> "Diagonal" + Arrays.toString(values);
            case MATRIX -> "Matrix[" + labels + "x" + labels + "]";
        };
    }
}
