package org.dcsm.crf.impl;

import java.util.Arrays;

import org.dcsm.core.impl.Parallel;

/**
 * The mean-field update of the fully connected CRF (Krähenbühl and Koltun, NIPS 2011, Algorithm 1):
 * {@code Q_i(l) ∝ exp(-U_i(l) - sum_l' mu(l, l') F_i(l'))} with {@code F = sum_m w_m post_m ⊙ K_m (pre_m ⊙ Q)},
 * the message passing done by {@link KernelFilter}s. All arrays are pixel-major with a padded stride
 * ({@link #stride(int)}: {@code M} rounded up to a multiple of 8 from 5 labels on; label {@code l} of pixel {@code i}
 * at {@code [i * stride + l]}): the marginals' and messages' extra lanes stay zero, the unary's (a padded copy of
 * the one given) hold a huge energy, so that the filters' label-wide loops run whole
 * 8-float vectors without a scalar tail (measured: see docs/PERFORMANCE.md).
 *
 * <p>The compatibility {@code mu} is one of: Potts {@code mu = w [l != l']}, diagonal
 * {@code mu = -d_l [l == l']}, or a full M×M matrix (row-major). The Potts form is applied literally
 * ({@code w (sum_l' F(l') - F(l))}), so energies are those of the model as written, not shifted.
 *
 * <p>Holds its buffers; no allocation per iteration beyond a few small per-task arrays. Not thread-safe.
 */
public final class MeanField {

    /**
     * Marginals below this are set to 0. Tiny marginals times small barycentric weights and blur factors
     * would otherwise reach float's subnormal range, where arithmetic is 10 to 100 times slower (measured:
     * a converged session's iterations ran ~4× slower). Q then sums to 1 within {@code M * 1e-20}.
     */
    public static final float FLUSH = 1e-20f;

    /** Pixels sliced per call into the filters (the messages of one block are held in a small buffer). */
    private static final int BLOCK = 64;

    /** Compatibility kinds. */
    public static final int POTTS = 0;
    public static final int DIAGONAL = 1;
    public static final int MATRIX = 2;

    /** One pairwise term: a filter, its weight and its normalisation factors (null for 1). */
    public static final class Term {
        final KernelFilter filter;
        final float weight;
        final float[] pre;
        final float[] post;

        public Term(KernelFilter filter, float weight, float[] pre, float[] post) {
            this.filter = filter;
            this.weight = weight;
            this.pre = pre;
            this.post = post;
        }

        /** The filter of this term. */
        public KernelFilter filter() {
            return filter;
        }
    }

    private final int n;
    private final int m;
    private final int stride;
    private final boolean vectorUpdate;
    private final float[] unary;
    private final float[] q;
    private final float[] change;
    private final Term[] terms;
    private final int compatKind;
    private final float potts;
    private final float[] diagonal;
    private final float[] matrix;
    private final Parallel parallel;
    private float[] energyScratch;
    private int iterations;
    private double lastChange = Double.NaN;

    /** Energy of the unary's padding lanes: their marginals come out as 0. */
    private static final float PADDING_ENERGY = 1e30f;

    /**
     * As the full constructor, with the Vector API update where the JVM has the module
     * ({@link PermutohedralLattice#VECTOR_API}).
     */
    public MeanField(float[] unary, int n, int m, Term[] terms, int compatKind, float potts, float[] diagonal,
                     float[] matrix, Parallel parallel) {
        this(unary, n, m, terms, compatKind, potts, diagonal, matrix, parallel, PermutohedralLattice.VECTOR_API);
    }

    /**
     * @param unary  pixel-major N×M energies, finite; copied (into the padded stride), not modified
     * @param vector whether the per-pixel update (compatibility, softmax) runs on the Vector API where the stride
     *               allows it; its exponential is a different polynomial from the scalar one's, so Q differs from
     *               the scalar path's by float rounding (both within 3e-7 relative of the exact exponential)
     * @throws IllegalArgumentException when {@code vector} is asked for without the module
     */
    public MeanField(float[] unary, int n, int m, Term[] terms, int compatKind, float potts, float[] diagonal,
                     float[] matrix, Parallel parallel, boolean vector) {
        if (vector && !PermutohedralLattice.VECTOR_API) {
            throw new IllegalArgumentException("vector loops need the JVM option --add-modules jdk.incubator.vector");
        }
        this.n = n;
        this.m = m;
        this.stride = stride(m);
        this.vectorUpdate = vector && stride % VectorKernels.lanes() == 0;
        this.unary = padded(unary, n, m, stride);
        this.terms = terms.clone();
        this.compatKind = compatKind;
        this.potts = potts;
        this.diagonal = diagonal;
        this.matrix = matrix;
        this.parallel = parallel;
        this.q = new float[Math.multiplyExact(n, stride)];
        this.change = new float[n];
        // Q0 = softmax(-U)
        update(false);
        iterations = 0;
        lastChange = Double.NaN;
    }

    private static float[] padded(float[] unary, int n, int m, int stride) {
        float[] out = new float[Math.multiplyExact(n, stride)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(unary, i * m, out, i * stride, m);
            Arrays.fill(out, i * stride + m, (i + 1) * stride, PADDING_ENERGY);
        }
        return out;
    }

    /**
     * One mean-field iteration: every filter splats and blurs the current Q, then one pass over the pixels
     * slices the messages of all terms for a pixel, applies the compatibility and the normalised exponential,
     * and overwrites that pixel's Q (the slice reads only the pixel's own old Q, for the self term), so the
     * messages never go through memory.
     */
    public void step() {
        for (Term t : terms) {
            t.filter.prepare(q, stride, t.pre);
        }
        update(true);
        iterations++;
    }

    /**
     * The values per pixel in the marginal and message arrays: {@code m} for up to 4 labels, else {@code m} rounded up
     * to a multiple of 8.
     */
    public static int stride(int m) {
        return m <= 4 ? m : (m + 7) & ~7;
    }

    /** This instance's {@link #stride(int)}. */
    public int stride() {
        return stride;
    }

    /**
     * The current marginals, pixel-major with {@link #stride()} values per pixel, label {@code l} of pixel {@code i}
     * at {@code [i * stride() + l]} (the live array: callers must copy before keeping it).
     */
    public float[] q() {
        return q;
    }

    /** Iterations done since construction. */
    public int iterations() {
        return iterations;
    }

    /** Mean over pixels of {@code sum_l |Q_new(l) - Q_old(l)|} in the last step; NaN before the first. */
    public double lastChange() {
        return lastChange;
    }

    /**
     * The mean-field free energy of the current Q: {@code sum_i sum_l Q_i(l) U_i(l)
     * + 1/2 sum_i sum_l Q_i(l) sum_l' mu(l,l') F_i(l') + sum_i sum_l Q_i(l) log Q_i(l)}, which equals
     * {@code KL(Q || P) - log Z}. Costs one message pass.
     */
    public double freeEnergy() {
        if (energyScratch == null) {
            energyScratch = new float[q.length];
        }
        computeMessages(q, energyScratch);
        float[] pair = new float[m];
        double e = 0;
        for (int i = 0; i < n; i++) {
            int o = i * stride;
            compat(energyScratch, o, pair);
            for (int l = 0; l < m; l++) {
                double ql = q[o + l];
                if (ql > 0) {
                    e += ql * (unary[o + l] + 0.5 * pair[l] + Math.log(ql));
                }
            }
        }
        return e;
    }

    private void computeMessages(float[] values, float[] out) {
        if (terms.length == 0) {
            Arrays.fill(out, 0f);
            return;
        }
        for (int t = 0; t < terms.length; t++) {
            Term term = terms[t];
            term.filter.apply(values, stride, term.pre, term.post, term.weight, out, t > 0);
        }
    }

    /**
     * {@link #compat} as the update needs it: for Potts, {@code -potts F(l)}, the energy less its label-independent part
     * {@code potts sum_l' F(l')}, which the softmax cancels (one pass over the labels fewer; the vector update does the
     * same, so both round alike).
     */
    private void compatForUpdate(float[] f, int o, float[] pair) {
        if (compatKind == POTTS) {
            for (int l = 0; l < m; l++) {
                pair[l] = -f[o + l] * potts;
            }
            return;
        }
        compat(f, o, pair);
    }

    private void compat(float[] f, int o, float[] pair) {
        switch (compatKind) {
            case POTTS -> {
                float s = 0f;
                for (int l = 0; l < m; l++) {
                    s += f[o + l];
                }
                for (int l = 0; l < m; l++) {
                    pair[l] = potts * (s - f[o + l]);
                }
            }
            case DIAGONAL -> {
                for (int l = 0; l < m; l++) {
                    pair[l] = -diagonal[l] * f[o + l];
                }
            }
            default -> {
                for (int l = 0; l < m; l++) {
                    float s = 0f;
                    int row = l * m;
                    for (int k = 0; k < m; k++) {
                        s += matrix[row + k] * f[o + k];
                    }
                    pair[l] = s;
                }
            }
        }
    }

    private void update(boolean withMessages) {
        final boolean pairwise = withMessages && terms.length > 0;
        parallel.forRange(n, (from, to) -> {
            float[] e = new float[stride];
            float[] f = new float[BLOCK * stride];
            float[] scratch = new float[stride];
            for (int b0 = from; b0 < to; b0 += BLOCK) {
                int b1 = Math.min(to, b0 + BLOCK);
                if (pairwise) {
                    // messages of the block's pixels (they read only their own old Q, overwritten below)
                    for (int t = 0; t < terms.length; t++) {
                        Term term = terms[t];
                        term.filter.sliceRange(b0, b1, q, stride, term.pre, term.post, term.weight, f, t > 0,
                                scratch);
                    }
                }
                for (int i = b0; i < b1; i++) {
                    int o = i * stride;
                    if (vectorUpdate) {
                        // Potts from the messages in the vector loop; otherwise the pairwise energies in e (all
                        // zero before the first step: e is never written then)
                        boolean potts = pairwise && compatKind == POTTS;
                        if (pairwise && !potts) {
                            compatForUpdate(f, (i - b0) * stride, e);
                        }
                        change[i] = VectorKernels.update(unary, potts ? f : e, potts ? (i - b0) * stride : 0,
                                potts, this.potts, q, o, stride, FLUSH, scratch);
                        continue;
                    }
                    if (pairwise) {
                        compatForUpdate(f, (i - b0) * stride, e);
                    } else {
                        Arrays.fill(e, 0f);
                    }
                    float max = Float.NEGATIVE_INFINITY;
                    for (int l = 0; l < m; l++) {
                        float v = -unary[o + l] - e[l];
                        e[l] = v;
                        if (v > max) {
                            max = v;
                        }
                    }
                    float sum = 0f;
                    for (int l = 0; l < m; l++) {
                        float x = FastExp.expNonPositive(e[l] - max);
                        e[l] = x;
                        sum += x;
                    }
                    float inv = 1f / sum;
                    float c = 0f;
                    for (int l = 0; l < m; l++) {
                        float v = e[l] * inv;
                        if (v < FLUSH) {
                            v = 0f;
                        }
                        c += Math.abs(v - q[o + l]);
                        q[o + l] = v;
                    }
                    change[i] = c;
                }
            }
        });
        if (withMessages) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += change[i];
            }
            lastChange = s / n;
        }
    }
}
