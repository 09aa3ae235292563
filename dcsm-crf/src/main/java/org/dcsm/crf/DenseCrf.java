package org.dcsm.crf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.dcsm.core.LabelMap;
import org.dcsm.core.impl.Checks;
import org.dcsm.core.impl.Parallel;
import org.dcsm.crf.impl.ExactGaussianFilter;
import org.dcsm.crf.impl.ExactRowSums;
import org.dcsm.crf.impl.KernelFilter;
import org.dcsm.crf.impl.MeanField;
import org.dcsm.crf.impl.PermutohedralLattice;
import org.dcsm.crf.impl.SeparableGaussianFilter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fully connected CRF of Krähenbühl and Koltun ("Efficient Inference in Fully Connected CRFs with
 * Gaussian Edge Potentials", NIPS 2011) as used by DCSM (Shimoda and Yanai, ECCV 2016, §3.4, Eq. 6–8):
 * energy {@code E(x) = sum_i U_i(x_i) + sum_{i<j} mu(x_i, x_j) sum_m w_m k_m(f_i, f_j)} with Gaussian
 * kernels {@code k_m}, minimised approximately by mean-field iterations whose message passing is Gaussian
 * filtering on the permutohedral lattice (Adams, Baek and Davis 2010) in O(N) per iteration.
 *
 * <p>Configuration is immutable, validated in {@link Builder#build()}, and safe to share between threads;
 * each inference builds its own lattices and buffers. {@link #threads()} threads (the calling thread and
 * {@code threads - 1} daemon workers kept per thread count and shared by all instances with that count, so that
 * no inference starts threads) run the splat, blur, slice and update loops; results do not depend on
 * the thread count (bitwise).
 *
 * <p>Speed: started with {@code --add-modules jdk.incubator.vector}, the JVM runs the lattice's label-wide loops and
 * the per-pixel mean-field update on the Vector API, about twice as fast on AVX2 (measured in docs/PERFORMANCE.md);
 * without the module a one-line INFO log says so and scalar loops run. The lattice loops give bitwise the same
 * sums either way; the update's exponential is another polynomial, so Q differs by float rounding (both within
 * 3e-7 relative of the exact exponential).
 *
 * <p>Unnormalised energies ({@link KernelNormalization#NONE}, {@link KernelNormalization#MEAN}) need the sums at
 * their true scale, which the lattice misses by a dimension-dependent factor; there the CRF corrects it, summing
 * exactly where that is affordable (see {@link #calibrated()}, stated by {@link #toString()}).
 *
 * <p>The paper's kernels (Eq. 8) map onto the builder as
 * {@code bilateral(theta_alpha, theta_beta, w1)} and {@code gaussian(theta_gamma, w2)}; see {@link #paper()}.
 *
 * <pre>{@code
 * DenseCrf crf = DenseCrf.builder().gaussian(3, 1).bilateral(30, 10, 1).iterations(10).threads(2).build();
 * LabelMap labels = crf.infer(image, unary);                     // image 3×H×W RGB 0..255, UnaryEnergies
 * try (CrfSession s = crf.start(CrfInput.of(image, unary))) {  // step-wise, to watch convergence
 *     while (s.iterations() < 50 && !(s.lastChange() < 1e-3)) s.step();
 * }
 * }</pre>
 */
public final class DenseCrf {

    private static final Logger LOG = LoggerFactory.getLogger(DenseCrf.class);

    static {
        if (!PermutohedralLattice.VECTOR_API) {
            LOG.info("Dense CRF: vector loops off. Start the JVM with --add-modules jdk.incubator.vector for about "
                    + "twice the speed (docs/PERFORMANCE.md); results agree to float rounding.");
        }
    }

    /**
     * In {@link KernelNormalization#NONE} and {@link KernelNormalization#MEAN} modes ({@link #calibrated()}), a bilateral
     * or feature term is summed exactly, without a lattice, when that costs at most this many pixel pairs per
     * iteration: a bilateral term over its spatial window ({@code 2 ceil(6.07 sxy) + 1} pixels square, clipped to the
     * image), a feature term over all N² pairs. That covers every {@code sxy} up to 128×128 pixels, and
     * {@code sxy <= 3.1} on a 500×375 image. Cost measured in docs/PERFORMANCE.md.
     */
    public static final long EXACT_PAIR_BUDGET = 300_000_000L;

    /** Window half-width of the exact bilateral filter, in {@code sxy}: pixels beyond weigh below 1e-8. */
    static final double WINDOW_SIGMAS = Math.sqrt(-2 * Math.log(1e-8));

    /** Pixels whose exact row sums give the calibration gain of a lattice over {@link #EXACT_PAIR_BUDGET}. */
    public static final int CALIBRATION_SAMPLES = 256;

    private final List<PairwiseTerm> terms;
    private final int iterations;
    private final int threads;
    private final Compatibility compatibility;
    private final KernelNormalization normalization;
    private final boolean calibrate;
    private final long exactPairBudget;
    private final boolean selfTerm;

    private DenseCrf(Builder b) {
        this.selfTerm = b.selfTerm;
        this.terms = List.copyOf(b.terms);
        this.iterations = b.iterations;
        this.threads = b.threads;
        this.compatibility = b.compatibility;
        this.normalization = b.normalization;
        this.calibrate = b.calibrate;
        this.exactPairBudget = b.exactPairBudget;
    }

    /**
     * A builder with no pairwise term, 10 iterations, 1 thread, Potts compatibility (weight 1) and
     * {@link KernelNormalization#SYMMETRIC} normalisation (densecrf v2's default).
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The DCSM paper's CRF (§4.2): {@code w1 = w2 = 1}, {@code theta_alpha = 30}, {@code theta_beta = 10},
     * {@code theta_gamma = 3}, i.e. {@code bilateral(30, 10, 1)} and {@code gaussian(3, 1)}, Potts
     * compatibility, 10 mean-field iterations, {@link KernelNormalization#SYMMETRIC} kernels, 1 thread.
     *
     * <p>The paper does not state the kernel normalisation. Symmetric is chosen because it is the default of
     * Krähenbühl's densecrf v2 and of pydensecrf, the implementations a grid search over {@code w} in 2016 would
     * have run (the authors' CRF code is not available here to check), and because its messages stay below
     * {@code w} per label whatever the image size, so that {@code w = 1} keeps one meaning; unnormalised
     * messages ({@link KernelNormalization#NONE}) grow with the number of similar pixels (about
     * {@code 2 pi theta_alpha^2} in a uniform region) and smooth far more. Measured effect at these weights
     * (docs/PERFORMANCE.md, "Kernel normalisation"): on DCSM-like synthetic scenes NONE changes the unary's
     * labels at about twice as many pixels as SYMMETRIC. Which is better on real photographs is for the
     * pipeline's grid search to decide; switch with {@code paper().toBuilder().normalization(...)}.
     */
    public static DenseCrf paper() {
        return builder().bilateral(30, 10, 1).gaussian(3, 1).iterations(10)
                .normalization(KernelNormalization.SYMMETRIC).build();
    }

    /** A builder holding this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.terms.addAll(terms);
        b.iterations = iterations;
        b.threads = threads;
        b.compatibility = compatibility;
        b.normalization = normalization;
        b.calibrate = calibrate;
        b.exactPairBudget = exactPairBudget;
        b.selfTerm = selfTerm;
        return b;
    }

    /** Fluent builder; not thread-safe. Values are checked in {@link #build()}. */
    public static final class Builder {
        private final List<PairwiseTerm> terms = new ArrayList<>();
        private int iterations = 10;
        private int threads = 1;
        private Compatibility compatibility = Compatibility.potts();
        private KernelNormalization normalization = KernelNormalization.SYMMETRIC;
        private boolean calibrate = true;
        private long exactPairBudget = EXACT_PAIR_BUDGET;
        private boolean selfTerm;

        private Builder() {
        }

        /**
         * Whether the kernels and their row sums include the {@code i = j} self term (default false). The energy of
         * the paper's Eq. 6 sums over pairs of distinct pixels, so by default a pixel sends no message to itself.
         * Krähenbühl's densecrf v2 (and pydensecrf) filter without removing the pixel's own contribution: each
         * message then also holds {@code w k_ii Q_i} (with the lattice's approximate {@code k_ii}) and every row sum is
         * larger by it. True gives that model, for results that match densecrf v2; the exact reference
         * ({@link ExactDenseCrf}) then sums {@code j = i} with {@code k_ii = 1}. What it changes: see the README ("The
         * dense CRF and densecrf v2").
         */
        public Builder selfTerm(boolean include) {
            this.selfTerm = include;
            return this;
        }

        /** Adds the smoothness kernel {@code w exp(-|p_i - p_j|^2 / (2 sxy^2))} (paper: theta_gamma = sxy). */
        public Builder gaussian(double sxy, double weight) {
            terms.add(new PairwiseTerm(PairwiseTerm.Kind.GAUSSIAN, sxy, Double.NaN, null, weight));
            return this;
        }

        /**
         * Adds the appearance kernel {@code w exp(-|p_i - p_j|^2 / (2 sxy^2) - |I_i - I_j|^2 / (2 srgb^2))}
         * with RGB in 0..255 (paper: theta_alpha = sxy, theta_beta = srgb).
         */
        public Builder bilateral(double sxy, double srgb, double weight) {
            terms.add(new PairwiseTerm(PairwiseTerm.Kind.BILATERAL, sxy, srgb, null, weight));
            return this;
        }

        /**
         * Adds a kernel {@code w exp(-|f_i - f_j|^2 / 2)} over user features supplied per image under
         * {@code name} ({@link CrfInput.Builder#features(String, float[], int)}), e.g. depth or another colour
         * space with the position; divide each dimension by its bandwidth before passing it.
         */
        public Builder features(String name, double weight) {
            terms.add(new PairwiseTerm(PairwiseTerm.Kind.FEATURES, Double.NaN, Double.NaN, name, weight));
            return this;
        }

        /** Mean-field iterations run by {@link #infer} and {@link CrfSession#run()} (default 10). */
        public Builder iterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /**
         * At most this many threads per inference (default 1): the calling thread and {@code threads - 1} workers
         * shared by every object with this setting ({@code org.dcsm.core.impl.Parallel}, the meaning of
         * {@code threads(n)} throughout dcsm); results do not depend on it.
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** The label compatibility shared by all terms (default Potts, weight 1). */
        public Builder compatibility(Compatibility compatibility) {
            this.compatibility = compatibility;
            return this;
        }

        /**
         * Whether the unnormalised modes ({@link KernelNormalization#NONE} and {@link KernelNormalization#MEAN}) correct
         * the permutohedral lattice's absolute scale (default true; see {@link DenseCrf#calibrated()}). False gives the
         * raw lattice sums of densecrf, low by 12 % (2-D) to 30–50 % (5-D); it is there to measure the difference.
         */
        public Builder latticeCalibration(boolean calibrate) {
            this.calibrate = calibrate;
            return this;
        }

        /**
         * The most pixel pairs per iteration for which a calibrated CRF ({@link DenseCrf#calibrated()}) sums a
         * bilateral or feature term exactly instead of on the lattice (default {@link #EXACT_PAIR_BUDGET}); 0 keeps
         * every such term on the lattice (times its gain). Exact sums cost about 10 ns per pair on a loaded 2-core
         * machine (docs/PERFORMANCE.md), the lattice a small fraction of that.
         */
        public Builder exactPairBudget(long pairs) {
            this.exactPairBudget = pairs;
            return this;
        }

        /** The kernel normalisation of all terms (default {@link KernelNormalization#SYMMETRIC}). */
        public Builder normalization(KernelNormalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field and value: a non-positive or non-finite bandwidth,
         *                                  a negative weight, negative iterations, threads < 1, two feature terms
         *                                  with one name
         * @throws NullPointerException     when compatibility or normalization was set to null
         */
        public DenseCrf build() {
            if (iterations < 0) {
                throw new IllegalArgumentException("iterations must be >= 0, found " + iterations);
            }
            Parallel.requireThreads(threads);
            Checks.notNull(compatibility, "compatibility");
            Checks.notNull(normalization, "normalization");
            if (exactPairBudget < 0) {
                throw new IllegalArgumentException("exactPairBudget must be >= 0, found " + exactPairBudget);
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            for (int i = 0; i < terms.size(); i++) {
                PairwiseTerm t = terms.get(i);
                t.validate(i);
                if (t.kind() == PairwiseTerm.Kind.FEATURES && !names.add(t.name())) {
                    throw new IllegalArgumentException("pairwise term " + i + ": feature name '" + t.name()
                            + "' is used by two terms");
                }
            }
            return new DenseCrf(this);
        }
    }

    /** The pairwise terms in the order added (unmodifiable). */
    public List<PairwiseTerm> terms() {
        return terms;
    }

    public int iterations() {
        return iterations;
    }

    public int threads() {
        return threads;
    }

    public Compatibility compatibility() {
        return compatibility;
    }

    public KernelNormalization normalization() {
        return normalization;
    }

    /** Whether the kernels include the {@code i = j} self term (densecrf v2's model); see {@link Builder#selfTerm}. */
    public boolean selfTerm() {
        return selfTerm;
    }

    /**
     * Whether this CRF corrects the lattice's absolute scale: true when {@link Builder#latticeCalibration} is on
     * (the default) and the normalisation is {@link KernelNormalization#NONE} or {@link KernelNormalization#MEAN},
     * whose messages depend on it (the other modes divide it out per pixel). Then, per image:
     * <ul>
     *   <li>{@link PairwiseTerm.Kind#GAUSSIAN} terms are not put on a lattice but summed exactly by a separable filter
     *       ({@code SeparableGaussianFilter}, O(N R m) per iteration for tap radius {@code R = ceil(6.07 sxy)});</li>
     *   <li>bilateral and feature terms are summed exactly, without a lattice, when that costs at most
     *       {@link Builder#exactPairBudget} pixel pairs per iteration (a bilateral term over the spatial window where its
     *       kernel is non-negligible);</li>
     *   <li>above that budget, in {@code NONE} mode, the lattice's sums are multiplied by one gain per term and image:
     *       exact over lattice row sums, summed over {@link #CALIBRATION_SAMPLES} evenly spread pixels ({@code MEAN}
     *       needs none: its global factor cancels it). This removes the lattice's bias
     *       (its sums are 0.5–0.7 of the exact ones for the 5-D bilateral kernel) but not its per-pixel error.</li>
     * </ul>
     * Measured effect and remaining error: docs/PERFORMANCE.md, "NONE mode: the lattice's absolute scale". Stated
     * by {@link #toString()}.
     */
    public boolean calibrated() {
        return calibrate && (normalization == KernelNormalization.NONE || normalization == KernelNormalization.MEAN);
    }

    /** How a term's messages are summed on an image of {@code n} pixels, {@code w} wide (see {@link #calibrated()}). */
    private PreparedImage.Route route(PairwiseTerm t, int w, int h, boolean exact) {
        if (exact) {
            return PreparedImage.Route.EXACT;
        }
        if (!calibrated()) {
            return PreparedImage.Route.LATTICE;
        }
        long n = (long) w * h;
        switch (t.kind()) {
            case GAUSSIAN -> {
                return PreparedImage.Route.SEPARABLE;
            }
            case BILATERAL -> {
                long r = (long) Math.ceil(t.sxy() * WINDOW_SIGMAS);
                long pairs = n * Math.min(2 * r + 1, w) * Math.min(2 * r + 1, h);
                return pairs > exactPairBudget ? PreparedImage.Route.LATTICE : PreparedImage.Route.WINDOWED;
            }
            default -> {
                return n * n > exactPairBudget ? PreparedImage.Route.LATTICE : PreparedImage.Route.EXACT;
            }
        }
    }

    private PreparedImage.Key key(PairwiseTerm t, CrfImage image, boolean exact) {
        return new PreparedImage.Key(t.kind(), t.sxy(), t.srgb(), t.name(),
                route(t, image.width(), image.height(), exact), selfTerm);
    }

    /**
     * A term's filter on the prepared image (built and kept there when absent), with the row sums and calibration gain
     * this CRF needs.
     */
    private PreparedImage.Built ensure(PreparedImage p, PairwiseTerm t, PreparedImage.Key key) {
        CrfImage image = p.image();
        Parallel parallel = p.parallel();
        int w = image.width();
        int n = image.pixels();
        PreparedImage.Built b = p.get(key);
        if (b == null) {
            float[] f = features(t, image);
            int d = dimension(t, image);
            KernelFilter filter = switch (key.route()) {
                case EXACT -> new ExactGaussianFilter(f, n, d, parallel, PermutohedralLattice.VECTOR_API, selfTerm);
                case SEPARABLE -> new SeparableGaussianFilter(w, image.height(), t.sxy(), parallel, selfTerm);
                case WINDOWED -> ExactGaussianFilter.windowed(f, n, d, w,
                        (int) Math.min((long) Math.ceil(t.sxy() * WINDOW_SIGMAS), Math.max(w, image.height())),
                        parallel, selfTerm);
                case LATTICE -> PermutohedralLattice.build(f, n, d, parallel, PermutohedralLattice.VECTOR_API,
                        selfTerm);
            };
            b = new PreparedImage.Built(filter, filter instanceof PermutohedralLattice l ? l.size() : 0);
            p.put(key, b);
        }
        boolean scaled = scaled(b.filter);
        if ((normalization != KernelNormalization.NONE || scaled) && b.rowSums == null) {
            b.rowSums = b.filter.rowSums();
        }
        if (scaled && Float.isNaN(b.gain)) {
            b.gain = ExactRowSums.gain(features(t, image), dimension(t, image), b.rowSums, CALIBRATION_SAMPLES,
                    KernelNormalization.MIN_ROW_SUM, parallel, selfTerm);
        }
        return b;
    }

    /** Whether a filter's sums are multiplied by its calibration gain: a lattice in calibrated NONE mode. */
    private boolean scaled(KernelFilter filter) {
        return filter instanceof PermutohedralLattice && calibrated()
                && normalization == KernelNormalization.NONE; // MEAN's one global factor cancels any gain
    }

    /**
     * Builds this CRF's filters on an image now, for {@link #start(PreparedImage, UnaryEnergies)} with any unary of
     * its size, and with any CRF of the same bandwidths (other weights, compatibility, normalisation, iterations).
     * Takes about as long as the construction part of {@link #start(CrfInput)}.
     *
     * @throws IllegalArgumentException when the image lacks what a term needs (RGB values, features)
     */
    public PreparedImage prepare(CrfImage image) {
        Objects.requireNonNull(image, "image");
        requireFits(image);
        PreparedImage p = new PreparedImage(image, Parallel.shared(threads));
        build(p, false);
        return p;
    }

    /** The mean-field terms of this CRF on a prepared image, building what is missing there. */
    private MeanField.Term[] build(PreparedImage p, boolean exact) {
        List<PairwiseTerm> weighted = terms.stream().filter(t -> t.weight() != 0).toList(); // 0 adds nothing
        List<PreparedImage.Key> keys = new ArrayList<>();
        List<PairwiseTerm> distinct = new ArrayList<>();
        int[] slot = new int[weighted.size()];
        for (int k = 0; k < slot.length; k++) {
            PreparedImage.Key key = key(weighted.get(k), p.image(), exact);
            slot[k] = keys.indexOf(key);
            if (slot[k] < 0) {
                slot[k] = keys.size();
                keys.add(key);
                distinct.add(weighted.get(k));
            }
        }
        PreparedImage.Built[] built = new PreparedImage.Built[keys.size()];
        // one filter after the other, each with every thread: building them side by side (one per thread) left the
        // bilateral lattice's second pixel range waiting for the Gaussian lattice to finish, and measured 11 % slower
        // at 2 threads (VOC case, docs/PERFORMANCE.md)
        for (int k = 0; k < built.length; k++) {
            built[k] = ensure(p, distinct.get(k), keys.get(k));
        }
        MeanField.Term[] out = new MeanField.Term[weighted.size()];
        for (int k = 0; k < out.length; k++) {
            PreparedImage.Built b = built[slot[k]];
            float[][] factors = factors(b);
            out[k] = new MeanField.Term(b.filter, (float) weighted.get(k).weight(), factors[0], factors[1]);
        }
        return out;
    }

    /**
     * Starts a step-wise inference: builds the lattices and sets {@code Q = softmax(-U)}. The caller
     * must close the session (it owns a thread pool when {@code threads > 1}).
     *
     * @throws IllegalArgumentException when the input lacks what a term needs (image, features) or the
     *                                  compatibility does not fit the number of labels
     */
    public CrfSession start(CrfInput input) {
        return open(input, false);
    }

    /**
     * Starts a step-wise inference on a prepared image ({@link #prepare(CrfImage)}, by this or another CRF): builds
     * only the filters this CRF needs that are not there yet (another bandwidth, or the exact filters of a calibrated
     * mode), computes the kernel normalisation from the kept row sums and sets {@code Q = softmax(-U)}. Close the
     * session before the prepared image is used again.
     *
     * @throws IllegalArgumentException when the unary's size differs from the image's, the image lacks what a term
     *                                  needs, or the compatibility does not fit the number of labels
     * @throws IllegalStateException    when another open session is using the prepared image
     */
    public CrfSession start(PreparedImage image, UnaryEnergies unary) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(unary, "unary");
        requireSameSize(image.image(), unary);
        return open(image, unary, false);
    }

    /** {@link #iterations()} iterations on a prepared image: the marginals and the MAP labels. */
    public CrfResult solve(PreparedImage image, UnaryEnergies unary) {
        try (CrfSession s = start(image, unary)) {
            s.run();
            return s.result();
        }
    }

    /** The MAP labels (class ids of the unary's labels) after {@link #iterations()} iterations on a prepared image. */
    public LabelMap infer(PreparedImage image, UnaryEnergies unary) {
        try (CrfSession s = start(image, unary)) {
            return s.run().labels();
        }
    }

    /**
     * The MAP labels after {@link #iterations()} iterations on a prepared image, written into {@code labelsOut}
     * (per pixel {@code y * W + x} the class id of the unary's most probable label; a new array when null). With
     * {@link UnaryEnergies#of(float[], UnaryLayout, int, int, int, int[])} and {@link CrfImage} this path loads no
     * ND4J class.
     *
     * @return {@code labelsOut}, or the new array
     * @throws IllegalArgumentException as {@link #start(PreparedImage, UnaryEnergies)}, or when {@code labelsOut} is
     *                                  not {@code W * H} long
     */
    public int[] infer(PreparedImage image, UnaryEnergies unary, int[] labelsOut) {
        try (CrfSession s = start(image, unary)) {
            return s.run().labels(labelsOut);
        }
    }

    /**
     * The marginals after {@link #iterations()} iterations on a prepared image, written into {@code out} in the given
     * layout ({@code M * W * H} floats; a new array when null). Loads no ND4J class.
     *
     * @return {@code out}, or the new array
     * @throws IllegalArgumentException as {@link #start(PreparedImage, UnaryEnergies)}, or when {@code out} has
     *                                  another length
     */
    public float[] marginals(PreparedImage image, UnaryEnergies unary, float[] out, UnaryLayout layout) {
        try (CrfSession s = start(image, unary)) {
            return s.run().marginals(out, layout);
        }
    }

    /** {@link #start(CrfInput)} for an image {@code 3×H×W} (RGB 0..255) and unary energies (with their class ids). */
    public CrfSession start(INDArray image, UnaryEnergies unary) {
        return start(CrfInput.of(image, unary));
    }

    /** Runs {@link #iterations()} iterations; returns the marginals and the MAP labels. */
    public CrfResult solve(CrfInput input) {
        try (CrfSession s = start(input)) {
            s.run();
            return s.result();
        }
    }

    /** The MAP labels (class ids of the unary's labels) after {@link #iterations()} iterations. */
    public LabelMap infer(CrfInput input) {
        try (CrfSession s = start(input)) {
            return s.run().labels(); // no marginals tensor: labels need only the session's Q
        }
    }

    /** The MAP labels for an image {@code 3×H×W} and unary energies (labels carry the unary's class ids). */
    public LabelMap infer(INDArray image, UnaryEnergies unary) {
        return infer(CrfInput.of(image, unary));
    }

    /**
     * The paper's last step (§3.4): the MAP labels (class ids) for an image {@code 3×H×W} and fused DCSM class
     * maps (one entry, values in [0, 1]), with or without the background channel, through
     * {@link UnaryEnergies#fromClassMaps} ({@code 1 - max} background of Eq. 7 when absent,
     * {@code U = -log max(M, 1e-5)}).
     */
    public LabelMap infer(INDArray image, org.dcsm.core.ClassMaps fused) {
        return infer(CrfInput.of(image, UnaryEnergies.fromClassMaps(fused, org.dcsm.core.Unary.DEFAULT_EPS)));
    }

    /**
     * The marginals Q ({@code M×H×W}, a new float array, channel {@code l} for the unary's label {@code l}) for an
     * image {@code 3×H×W} and unary {@code M×H×W}. There is no {@code infer(INDArray, INDArray)}: a bare array does
     * not carry its class ids, so labels go through {@link #infer(INDArray, UnaryEnergies)} or
     * {@link #infer(INDArray, org.dcsm.core.ClassMaps)}.
     */
    public INDArray marginals(INDArray image, INDArray unary) {
        return solve(CrfInput.of(image, UnaryEnergies.ofChannelIndices(unary))).marginals();
    }

    /** Checks that the input has what every term needs and that the compatibility fits its labels. */
    void requireFits(CrfInput input) {
        Objects.requireNonNull(input, "input");
        compatibility.requireLabels(input.unary().labels());
        requireFits(input.image());
    }

    /** Checks that the image has what every term needs. */
    void requireFits(CrfImage image) {
        for (PairwiseTerm t : terms) {
            if (t.kind() == PairwiseTerm.Kind.BILATERAL && !image.hasRgb()) {
                throw new IllegalArgumentException("The CRF has a bilateral term (" + t + ") but the input has no image");
            }
            if (t.kind() == PairwiseTerm.Kind.FEATURES && !image.featureNames().contains(t.name())) {
                throw new IllegalArgumentException("The CRF has a feature term '" + t.name()
                        + "' but the input has no such features; it has " + image.featureNames());
            }
        }
    }

    private static void requireSameSize(CrfImage image, UnaryEnergies unary) {
        if (image.width() != unary.width() || image.height() != unary.height()) {
            throw new IllegalArgumentException("The prepared image is " + image.width() + "x" + image.height()
                    + " (W×H) but the unary is " + unary.width() + "x" + unary.height());
        }
    }

    CrfSession open(CrfInput input, boolean exact) {
        requireFits(input);
        // a throwaway prepared image: the one-shot path runs the same code as the reused one
        return open(new PreparedImage(input.image(), Parallel.shared(threads)), input.unary(), exact);
    }

    private CrfSession open(PreparedImage p, UnaryEnergies unary, boolean exact) {
        compatibility.requireLabels(unary.labels());
        requireFits(p.image());
        int m = unary.labels();
        int n = p.image().pixels();
        p.acquire();
        Parallel parallel = Parallel.shared(threads);
        try {
            long t0 = System.nanoTime();
            MeanField.Term[] built = build(p, exact);
            long buildNanos = System.nanoTime() - t0;
            long latticePoints = 0;
            long latticeBytes = 0;
            for (MeanField.Term t : built) {
                if (t.filter() instanceof PermutohedralLattice lattice) {
                    latticePoints += lattice.size();
                    latticeBytes += lattice.bytes(MeanField.stride(m));
                }
            }
            MeanField mf = meanField(unary.pixelMajorView(), n, m, built, parallel);
            return new CrfSession(mf, unary, iterations, parallel, buildNanos, latticePoints, latticeBytes, p::release);
        } catch (RuntimeException | Error e) {
            parallel.close();
            p.release();
            throw e;
        }
    }

    /** A mean-field state over {@code n} pixels with this configuration's compatibility. */
    MeanField meanField(float[] pixelMajorUnary, int n, int m, MeanField.Term[] built, Parallel parallel) {
        int kind = switch (compatibility.kind()) {
            case POTTS -> MeanField.POTTS;
            case DIAGONAL -> MeanField.DIAGONAL;
            case MATRIX -> MeanField.MATRIX;
        };
        float[] values = compatibility.valuesView();
        return new MeanField(pixelMajorUnary, n, m, built, kind, compatibility.pottsWeight(), values, values, parallel);
    }

    /**
     * The {pre, post} factors of one term (null for 1): {@link KernelNormalization#factors} of the filter's own row
     * sums; in NONE mode a lattice's sums are scaled by its {@link ExactRowSums#gain} when {@link #calibrated()}.
     */
    private float[][] factors(PreparedImage.Built b) {
        if (!scaled(b.filter)) {
            return normalization == KernelNormalization.NONE ? new float[][] {null, null}
                    : normalization.factors(b.rowSums);
        }
        float[] post = new float[b.rowSums.length];
        Arrays.fill(post, b.gain);
        return new float[][] {null, post};
    }

    /** The feature dimension of a term on this image. */
    static int dimension(PairwiseTerm t, CrfImage input) {
        return t.kind() == PairwiseTerm.Kind.FEATURES ? input.featureDimension(t.name()) : t.dimension();
    }

    /** A term's N×d row-major features divided by the bandwidths (the image's own array for user features). */
    static float[] features(PairwiseTerm t, CrfImage input) {
        int w = input.width();
        int h = input.height();
        int n = w * h;
        switch (t.kind()) {
            case GAUSSIAN -> {
                return positions(w, h, t.sxy(), 2);
            }
            case BILATERAL -> {
                float[] f = positions(w, h, t.sxy(), 5);
                float[] rgb = input.rgbView();
                float inv = (float) (1.0 / t.srgb());
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < 3; c++) {
                        f[i * 5 + 2 + c] = rgb[c * n + i] * inv;
                    }
                }
                return f;
            }
            default -> {
                return input.featuresView(t.name());
            }
        }
    }

    private static float[] positions(int w, int h, double sxy, int d) {
        float[] f = new float[w * h * d];
        float inv = (float) (1.0 / sxy);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * d;
                f[i] = x * inv;
                f[i + 1] = y * inv;
            }
        }
        return f;
    }

    /**
     * An upper estimate, in bytes, of the memory one inference on a {@code width × height} image with
     * {@code labels} labels holds (heap), before any pixel is read. With {@code S} the padded stride
     * ({@code labels} rounded up to a multiple of 8 from 5 labels on) and {@code d} each term's feature
     * dimension (a user feature term counted as 5, the bilateral's), per pixel: {@code 4·(3·S + 1)} for the
     * mean field (unary, marginals, messages, change) and, per term, {@code 4·(d+1)·(d + 5 + 2·(d+1) + 2·S)} for
     * its lattice in the worst case of {@code d+1} lattice points per pixel (construction keys, hashes,
     * barycentric weights, splat index, neighbours, two value buffers). Exact filters, used for small images
     * or Gaussian terms, need less. Saturates at {@link Long#MAX_VALUE}.
     *
     * @throws IllegalArgumentException for a negative size or fewer than 2 labels
     */
    public long estimateBytes(int width, int height, int labels) {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("width and height must be >= 0, found " + width + "x" + height);
        }
        if (labels < 2) {
            throw new IllegalArgumentException("labels must be >= 2, found " + labels);
        }
        double stride = MeanField.stride(labels);
        double perPixel = 4 * (3 * stride + 1);
        for (PairwiseTerm t : terms) {
            int d = t.dimension() > 0 ? t.dimension() : 5;
            perPixel += 4.0 * (d + 1) * (d + 5 + 2 * (d + 1) + 2 * stride);
        }
        double total = perPixel * width * height;
        return total >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(total);
    }

    @Override
    public String toString() {
        String calibration = calibrated()
                ? ", calibration=gaussian terms exact (separable); other terms exact up to " + exactPairBudget
                + " pixel pairs per iteration, above on the lattice times one gain from " + CALIBRATION_SAMPLES
                + " sampled exact row sums"
                : normalization == KernelNormalization.NONE || normalization == KernelNormalization.MEAN
                ? ", calibration=off (raw lattice sums)" : "";
        return "DenseCrf[terms=" + terms + ", iterations=" + iterations + ", threads=" + threads
                + ", compatibility=" + compatibility + ", normalization=" + normalization + calibration
                + (selfTerm ? ", selfTerm=included (densecrf v2)" : "") + "]";
    }
}
