package org.dcsm.crf;

import java.util.List;
import java.util.Objects;

import org.dcsm.core.LabelMap;
import org.dcsm.core.impl.NdArrays;
import org.dcsm.core.impl.Parallel;
import org.dcsm.crf.impl.ExactGaussianFilter;
import org.dcsm.crf.impl.ExactRowSums;
import org.dcsm.crf.impl.KernelFilter;
import org.dcsm.crf.impl.MeanField;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The same mean-field inference as a {@link DenseCrf} configuration, with the message passing done exactly:
 * full sums {@code sum_{j != i} exp(-|f_i - f_j|^2 / 2) Q_j} over every pixel pair ({@link ExactGaussianFilter}:
 * blocked, multi-threaded, no N×N matrix) instead of the permutohedral lattice. A reference for testing and for
 * measuring the lattice's approximation.
 *
 * <p>With {@link DenseCrf#selfTerm()} the sums include {@code j = i} with {@code k_ii = 1}: the model densecrf v2
 * approximates.
 *
 * <p>Sizes: {@link #start}, {@link #solve} and friends run full inference on images of at most
 * {@link ExactGaussianFilter#MAX_PIXELS} pixels (each iteration costs N² kernel values per term, 85 million at
 * 96×96; measured speed in docs/PERFORMANCE.md). {@link #stepAt} checks one iteration on a sample of
 * pixels of an image of any size. Immutable and thread-safe to share.
 */
public final class ExactDenseCrf {

    private final DenseCrf config;

    private ExactDenseCrf(DenseCrf config) {
        this.config = config;
    }

    /** An exact CRF with the terms, compatibility, normalisation, iterations and threads of {@code config}. */
    public static ExactDenseCrf of(DenseCrf config) {
        return new ExactDenseCrf(Objects.requireNonNull(config, "config"));
    }

    /** The configuration whose model this computes exactly. */
    public DenseCrf config() {
        return config;
    }

    /**
     * A step-wise exact inference; close it.
     *
     * @throws IllegalArgumentException when the image has more than {@link ExactGaussianFilter#MAX_PIXELS}
     *                                  pixels, or as {@link DenseCrf#start(CrfInput)}
     */
    public CrfSession start(CrfInput input) {
        requireSize(input);
        return config.open(input, true);
    }

    private static void requireSize(CrfInput input) {
        long n = (long) input.width() * input.height();
        if (n > ExactGaussianFilter.MAX_PIXELS) {
            throw new IllegalArgumentException("The exact dense CRF runs full inference on at most "
                    + ExactGaussianFilter.MAX_PIXELS + " pixels (N² kernel values per iteration and term), found "
                    + input.width() + "x" + input.height() + " = " + n + "; use stepAt to check sampled pixels");
        }
    }

    /** Marginals and MAP labels after the configured iterations. */
    public CrfResult solve(CrfInput input) {
        try (CrfSession s = start(input)) {
            s.run();
            return s.result();
        }
    }

    /** MAP labels (the unary's class ids) for an image {@code 3×H×W} and unary energies. */
    public LabelMap infer(INDArray image, UnaryEnergies unary) {
        return solve(CrfInput.of(image, unary)).labels();
    }

    /**
     * Marginals ({@code M×H×W}, new array, channel {@code l} for the unary's label {@code l}) for an image
     * {@code 3×H×W} and unary {@code M×H×W}.
     */
    public INDArray marginals(INDArray image, INDArray unary) {
        return solve(CrfInput.of(image, UnaryEnergies.ofChannelIndices(unary))).marginals();
    }

    /**
     * One exact mean-field iteration from the marginals {@code q}, evaluated at the given pixels only:
     * {@code Q'_i(l) ∝ exp(-U_i(l) - sum_l' mu(l, l') F_i(l'))} with the messages {@code F_i} summed exactly over all
     * N pixels. Compare it with the next iterate of a {@link CrfSession} started from the same marginals, on images of
     * any size. Costs O(S N) kernel values per term for S pixels; the normalised modes ({@code MEAN}, {@code BEFORE},
     * {@code AFTER}, {@code SYMMETRIC}) also need every pixel's row sums: O(W² + H²) for a Gaussian (position) term,
     * whose kernel is separable, and O(N²) for the others. {@code NONE} needs none.
     *
     * @param q      marginals {@code M×H×W} (e.g. {@link CrfSession#marginals()}); not modified
     * @param pixels row-major pixel indices {@code y * W + x}; not modified
     * @return a new array, label {@code l} of {@code pixels[s]} at {@code [s * M + l]}
     * @throws IllegalArgumentException when {@code q} is not {@code M×H×W}, a pixel is out of range, or as
     *                                  {@link DenseCrf#start(CrfInput)}
     */
    public float[] stepAt(CrfInput input, INDArray q, int[] pixels) {
        config.requireFits(input);
        UnaryEnergies unary = input.unary();
        int m = unary.labels();
        int h = input.height();
        int w = input.width();
        int n = w * h;
        long[] shape = q.shape();
        if (shape.length != 3 || shape[0] != m || shape[1] != h || shape[2] != w) {
            throw new IllegalArgumentException("Expected marginals " + m + "x" + h + "x" + w + ", found "
                    + java.util.Arrays.toString(shape));
        }
        float[] planar = NdArrays.toFloats(q);
        float[] values = new float[n * m];
        for (int l = 0; l < m; l++) {
            for (int i = 0; i < n; i++) {
                values[i * m + l] = planar[l * n + i];
            }
        }
        int s = pixels.length;
        float[] messages = new float[s * m];
        Parallel parallel = Parallel.shared(config.threads());
        List<PairwiseTerm> weighted = config.terms().stream().filter(t -> t.weight() != 0).toList();
        for (PairwiseTerm t : weighted) {
            float[] features = DenseCrf.features(t, input.image());
            int d = DenseCrf.dimension(t, input.image());
            boolean self = config.selfTerm();
            ExactGaussianFilter filter = new ExactGaussianFilter(features, n, d, parallel,
                    org.dcsm.crf.impl.PermutohedralLattice.VECTOR_API, self);
            float[] pre = null;
            float[] post = null;
            if (config.normalization() != KernelNormalization.NONE) {
                float[] rowSums = t.kind() == PairwiseTerm.Kind.GAUSSIAN ? ExactRowSums.grid(w, h, t.sxy(), self)
                        : ExactRowSums.all(features, n, d, parallel, self);
                float[][] factors = config.normalization().factors(rowSums);
                pre = factors[0];
                post = factors[1];
            }
            float[] in = values;
            if (pre != null) {
                in = new float[n * m];
                for (int i = 0; i < n; i++) {
                    for (int l = 0; l < m; l++) {
                        in[i * m + l] = pre[i] * values[i * m + l];
                    }
                }
            }
            double[] sums = filter.filterAt(pixels, in, m);
            for (int k = 0; k < s; k++) {
                double scale = t.weight() * (post == null ? 1.0 : post[pixels[k]]);
                for (int l = 0; l < m; l++) {
                    messages[k * m + l] += (float) (scale * sums[k * m + l]);
                }
            }
        }
        float[] sampledUnary = new float[s * m];
        float[] all = unary.pixelMajorView();
        for (int k = 0; k < s; k++) {
            System.arraycopy(all, pixels[k] * m, sampledUnary, k * m, m);
        }
        MeanField.Term[] terms = weighted.isEmpty() ? new MeanField.Term[0]
                : new MeanField.Term[] {new MeanField.Term(new GivenMessages(messages, s, m, parallel), 1f, null, null)};
        MeanField mf = config.meanField(sampledUnary, s, m, terms, parallel);
        mf.step();
        float[] padded = mf.q();
        int stride = mf.stride();
        float[] out = new float[s * m];
        for (int k = 0; k < s; k++) {
            System.arraycopy(padded, k * stride, out, k * m, m);
        }
        return out;
    }

    /**
     * How closely the configured {@link DenseCrf} (lattice) follows this exact CRF on one input.
     *
     * @param labels  the share of compared pixels whose MAP labels are equal
     * @param meanAbsDq the mean of {@code |Q_lattice - Q_exact|} over compared pixels and labels
     */
    public record Agreement(double labels, double meanAbsDq) {
    }

    /**
     * Full inference ({@link DenseCrf#iterations()}) with {@link #config()} and with this exact CRF, from the same
     * input, compared at every pixel. Same size limit as {@link #start}.
     */
    public Agreement agreement(CrfInput input) {
        CrfResult lattice = config.solve(input);
        CrfResult exact = solve(input);
        float[] a = marginalValues(lattice);
        float[] b = marginalValues(exact);
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff += Math.abs(a[i] - b[i]);
        }
        return new Agreement(lattice.labels().agreement(exact.labels()), diff / a.length);
    }

    /** The marginals of {@code result} as M×H×W floats, closing the copy {@link CrfResult#marginals()} makes. */
    private static float[] marginalValues(CrfResult result) {
        INDArray q = result.marginals();
        float[] values = NdArrays.toFloats(q);
        q.close();
        return values;
    }

    /**
     * One iteration compared on sampled pixels, for images of any size: {@link #config()} runs {@code before}
     * iterations and then one more; {@link #stepAt} computes the exact update from the same marginals at
     * {@code samples} evenly spread pixels, and that is compared with the last iterate there. With {@code before = 0}
     * the step starts from the unary's softmax, where marginals are softest and messages matter most.
     */
    public Agreement stepAgreement(CrfInput input, int before, int samples) {
        int n = input.width() * input.height();
        int m = input.unary().labels();
        int[] pixels = ExactRowSums.evenSample(n, samples);
        float[] next;
        float[] exact;
        try (CrfSession s = config.start(input)) {
            s.step(before);
            INDArray q = s.marginals();
            exact = stepAt(input, q, pixels);
            q.close();
            next = s.step().marginals(null, UnaryLayout.LABEL_MAJOR); // M×H×W
        }
        int same = 0;
        double diff = 0;
        for (int k = 0; k < pixels.length; k++) {
            int a = 0;
            int b = 0;
            for (int l = 0; l < m; l++) {
                float ql = next[l * n + pixels[k]];
                float el = exact[k * m + l];
                diff += Math.abs(ql - el);
                a = ql > next[a * n + pixels[k]] ? l : a;
                b = el > exact[k * m + b] ? l : b;
            }
            same += a == b ? 1 : 0;
        }
        return new Agreement((double) same / pixels.length, diff / ((double) pixels.length * m));
    }

    /** A "filter" that returns precomputed messages, so that the update of {@link MeanField} applies to them. */
    private static final class GivenMessages implements KernelFilter {
        private final float[] messages;
        private final int n;
        private final int m;
        private final Parallel parallel;

        GivenMessages(float[] messages, int n, int m, Parallel parallel) {
            this.messages = messages;
            this.n = n;
            this.m = m;
            this.parallel = parallel;
        }

        @Override
        public int pixels() {
            return n;
        }

        @Override
        public Parallel parallel() {
            return parallel;
        }

        @Override
        public void prepare(float[] in, int stride, float[] pre) {
            // nothing to take: the messages are given
        }

        @Override
        public void slice(int i, float[] in, int stride, float[] pre, float[] post, float weight, float[] out,
                          int offset, boolean accumulate, float[] scratch) {
            for (int l = 0; l < stride; l++) {
                float v = l < m ? weight * messages[i * m + l] : 0f;
                out[offset + l] = accumulate ? out[offset + l] + v : v;
            }
        }
    }
}
