package org.dcsm.crf;

import java.util.Objects;

import org.dcsm.core.impl.Checks;

/**
 * One Gaussian pairwise kernel {@code w exp(-|f_i - f_j|^2 / 2)} of the dense CRF (Krähenbühl and Koltun
 * 2011, Eq. 3; DCSM paper Eq. 8), described by the features it compares. Immutable; made by
 * {@link DenseCrf.Builder}.
 *
 * <ul>
 *   <li>{@link Kind#GAUSSIAN}: {@code f = (x, y) / sxy} — the paper's smoothness kernel, {@code sxy = theta_gamma}.</li>
 *   <li>{@link Kind#BILATERAL}: {@code f = (x / sxy, y / sxy, R / srgb, G / srgb, B / srgb)} with RGB in 0..255 —
 *       the appearance kernel, {@code sxy = theta_alpha}, {@code srgb = theta_beta}.</li>
 *   <li>{@link Kind#FEATURES}: user features supplied per image under a name
 *       ({@link CrfInput.Builder#features(String, float[], int)}), used as given: divide each dimension by its
 *       bandwidth first.</li>
 * </ul>
 */
public final class PairwiseTerm {

    /** What a term's features are. */
    public enum Kind { GAUSSIAN, BILATERAL, FEATURES }

    private final Kind kind;
    private final double sxy;
    private final double srgb;
    private final String name;
    private final double weight;

    PairwiseTerm(Kind kind, double sxy, double srgb, String name, double weight) {
        this.kind = kind;
        this.sxy = sxy;
        this.srgb = srgb;
        this.name = name;
        this.weight = weight;
    }

    public Kind kind() {
        return kind;
    }

    /** The position bandwidth in pixels (NaN for {@link Kind#FEATURES}). */
    public double sxy() {
        return sxy;
    }

    /** The colour bandwidth in 0..255 units (NaN unless {@link Kind#BILATERAL}). */
    public double srgb() {
        return srgb;
    }

    /** The feature name for {@link Kind#FEATURES}, else null. */
    public String name() {
        return name;
    }

    /** The kernel weight {@code w_m}. */
    public double weight() {
        return weight;
    }

    /** Feature dimension (2, 5, or -1 when the user's features decide). */
    int dimension() {
        return switch (kind) {
            case GAUSSIAN -> 2;
            case BILATERAL -> 5;
            case FEATURES -> -1;
        };
    }

    void validate(int index) {
        String what = "pairwise term " + index + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ")";
        Checks.nonNegativeFinite(weight, what + ": weight");
        if (kind != Kind.FEATURES) {
            Checks.positiveFinite(sxy, what + ": sxy");
        }
        if (kind == Kind.BILATERAL) {
            Checks.positiveFinite(srgb, what + ": srgb");
        }
        if (kind == Kind.FEATURES && (name == null || name.isBlank())) {
            throw new IllegalArgumentException(what + ": feature name must not be blank, found '" + name + "'");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PairwiseTerm t && kind == t.kind && Double.compare(sxy, t.sxy) == 0
                && Double.compare(srgb, t.srgb) == 0 && Objects.equals(name, t.name)
                && Double.compare(weight, t.weight) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, sxy, srgb, name, weight);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case GAUSSIAN -> "gaussian(sxy=" + sxy + ", w=" + weight + ")";
            case BILATERAL -> "bilateral(sxy=" + sxy + ", srgb=" + srgb + ", w=" + weight + ")";
            case FEATURES -> "features('" + name + "', w=" + weight + ")";
        };
    }
}
