package org.dcsm.pipeline;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

import org.dcsm.backprop.saliency.DerivativePoint;
import org.dcsm.backprop.saliency.SaliencyExtractor;
import org.dcsm.backprop.saliency.ScoreSeed;
import org.dcsm.core.ClassMapSubtractor;
import org.dcsm.core.MultiScaleAggregator;
import org.dcsm.core.pipeline.CandidateMapRule;
import org.dcsm.core.pipeline.MapFusion;
import org.dcsm.crf.CrfSettings;

/**
 * How DCSM and the baseline are run (paper §3, with the ablation switches of Tables 2–5): the VGG blocks
 * whose convolutions give maps (paper best: 3, 4, 5), guided or plain backprop, the candidate rule
 * (probability &gt; threshold, at least {@code minCandidates}), the input scales (longest side in pixels,
 * the same for every image) or else the scale factors (of each image's own longest side; both empty = the
 * image as given), the Eq. 4 rule, the CRF, the thread count, where the derivative of Eq. 3 is read
 * ({@link DerivativePoint}), what is back-propagated ({@link ScoreSeed}) and Eq. 5's tanh gain {@code alpha}.
 * The Simonyan baseline runs on its own copy ({@link #baseline}): the same candidate rule and threads, its own
 * seed (the pooled class score), alpha and CRF; blocks, scales, point and Eq. 4 do not apply to it. Immutable.
 *
 * <p>Serializable (dcsm-spark ships settings to executors): a record is deserialised through its canonical
 * constructor, so a copy is validated again; a custom {@link CandidateMapRule} must be serializable itself.
 */
public record MethodSettings(int[] blocks, boolean guided, double threshold, int minCandidates, int[] scales,
                             ClassMapSubtractor.Rule subtraction, CrfSettings crf, int threads, DerivativePoint point,
                             ScoreSeed seed, double alpha, double[] scaleFactors,
                             CandidateMapRule candidateMaps) implements Serializable {

    /**
     * Validates with the checks of the steps these settings configure ({@link SaliencyExtractor#checkSettings},
     * {@link ClassMapSubtractor.Builder#build()}, {@link MapFusion#eq5}), so that a bad setting fails here, before
     * any model is loaded, with the library's message; the blocks are checked against a model by
     * {@link DcsmPipelines#layersOfBlocks}.
     *
     * @throws IllegalArgumentException naming the bad setting and its value
     */
    public MethodSettings {
        Objects.requireNonNull(blocks, "blocks");
        Objects.requireNonNull(scales, "scales");
        Objects.requireNonNull(subtraction, "subtraction");
        Objects.requireNonNull(crf, "crf");
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(scaleFactors, "scaleFactors");
        Objects.requireNonNull(candidateMaps, "candidateMaps");
        // the library's own checks, run now rather than when a pipeline is built: one place for each rule
        SaliencyExtractor.checkSettings(threshold, minCandidates, scales, scaleFactors);
        ClassMapSubtractor.builder().rule(subtraction).threads(threads).build();
        MapFusion.eq5(alpha, MultiScaleAggregator.Normalization.MAX, threads);
        if (blocks.length == 0) {
            throw new IllegalArgumentException("blocks must name at least one block, found none");
        }
        for (int b : blocks) {
            if (b < 1) {
                throw new IllegalArgumentException("blocks must be >= 1, found " + b);
            }
        }
        blocks = blocks.clone();
        scales = scales.clone();
        scaleFactors = scaleFactors.clone();
    }

    /** The default scales of the command line: 1, 1.25 and 1.5 times each image's own longest side. A copy. */
    public static double[] defaultScaleFactors() {
        return new double[] {1, 1.25, 1.5};
    }

    /** The settings of the given (non-null) arguments, with fixed {@code scales} (longest side, pixels). */
    public MethodSettings(int[] blocks, boolean guided, double threshold, int minCandidates, int[] scales,
                          ClassMapSubtractor.Rule subtraction, CrfSettings crf, int threads, DerivativePoint point,
                          ScoreSeed seed, double alpha) {
        this(blocks, guided, threshold, minCandidates, scales, subtraction, crf, threads, point, seed, alpha,
                new double[0], CandidateMapRule.paper());
    }

    /**
     * The paper's settings: blocks 3–5, guided, threshold 0.5, ≥ 3 candidates, Eq. 4 as printed, paper CRF,
     * alpha 3, the whole score map as seed (§3.3), and the derivative at {@link #DEFAULT_POINT}.
     */
    public static MethodSettings paper(int[] scales, int threads) {
        return new MethodSettings(new int[] {3, 4, 5}, true, 0.5, 3, scales, ClassMapSubtractor.Rule.PAPER,
                CrfSettings.paper(), threads, DEFAULT_POINT, ScoreSeed.SCORE_MAP, MethodPreset.DCSM_DEFAULT.alpha());
    }

    /** The paper's scales as factors of each image's own longest side: 400/500/600 px for a 500-px image. A copy. */
    public static double[] paperScaleFactors() {
        return new double[] {0.8, 1.0, 1.2};
    }

    /**
     * The paper's settings ({@link #paper(int[], int)}) at the paper's scales relative to each image
     * ({@link #paperScaleFactors()}), what {@link DcsmPipelines#paper} runs.
     */
    public static MethodSettings paper(int threads) {
        return paper(new int[0], threads).withScaleFactors(paperScaleFactors());
    }

    /** DCSM's derivative point by default: the library's, {@link SaliencyExtractor#DEFAULT_POINT}. */
    public static final DerivativePoint DEFAULT_POINT = SaliencyExtractor.DEFAULT_POINT;

    /**
     * The Simonyan baseline's settings next to these: Simonyan et al.'s saliency, the input gradient of the
     * image-level class score (Eq. 2's pooled score, {@link ScoreSeed#GLOBAL_MAX}), with the given preset's alpha
     * and CRF; candidates and threads as here.
     */
    public MethodSettings baseline(MethodPreset preset) {
        return new MethodSettings(blocks, false, threshold, minCandidates, new int[0], ClassMapSubtractor.Rule.NONE,
                preset.crf(), threads, point, ScoreSeed.GLOBAL_MAX, preset.alpha(), new double[0], candidateMaps);
    }

    /** These settings with another preset's alpha and CRF. */
    public MethodSettings with(MethodPreset preset) {
        return new MethodSettings(blocks, guided, threshold, minCandidates, scales, subtraction, preset.crf(), threads,
                point, seed, preset.alpha(), scaleFactors, candidateMaps);
    }

    /**
     * The paper's three scales 400/500/600 for 500-px images, as factors 0.8, 1.0, 1.2 of {@code side},
     * none below {@code minimum}.
     */
    public static int[] paperScales(int side, int minimum) {
        return Arrays.stream(paperScaleFactors()).mapToInt(f -> Math.max(minimum, (int) Math.round(f * side)))
                .distinct().toArray();
    }

    @Override
    public int[] blocks() {
        return blocks.clone();
    }

    @Override
    public int[] scales() {
        return scales.clone();
    }

    public MethodSettings withBlocks(int... b) {
        return new MethodSettings(b, guided, threshold, minCandidates, scales, subtraction, crf, threads, point,
                seed, alpha, scaleFactors, candidateMaps);
    }

    public MethodSettings withGuided(boolean g) {
        return new MethodSettings(blocks, g, threshold, minCandidates, scales, subtraction, crf, threads, point,
                seed, alpha, scaleFactors, candidateMaps);
    }

    public MethodSettings withMinCandidates(int n) {
        return new MethodSettings(blocks, guided, threshold, n, scales, subtraction, crf, threads, point,
                seed, alpha, scaleFactors, candidateMaps);
    }

    /**
     * The candidate-map rule of the command line and the demo: {@link CandidateMapRule#paper()}, Eq. 7 over every
     * candidate. The remedies beyond the paper ({@code --candidate-maps probability|confident…}) raised DCSM on both
     * measured data sets but raised the Simonyan baseline more, and turned the five-class Fashion ordering around
     * (docs/RESULTS.md, "Issue 11 item 6"), so they stay options.
     */
    public static final CandidateMapRule DEFAULT_CANDIDATE_MAPS = CandidateMapRule.paper();

    /** The settings the command line and the demo start from: {@link #paper} with {@link #DEFAULT_CANDIDATE_MAPS}. */
    public static MethodSettings defaults(int[] scales, int threads) {
        return paper(scales, threads).withCandidateMaps(DEFAULT_CANDIDATE_MAPS);
    }

    /** These settings with another candidate-map rule (Eq. 7's input; see {@link CandidateMapRule}). */
    public MethodSettings withCandidateMaps(CandidateMapRule rule) {
        return new MethodSettings(blocks, guided, threshold, minCandidates, scales, subtraction, crf, threads, point,
                seed, alpha, scaleFactors, rule);
    }

    /** These settings at fixed scales (longest side, pixels); they replace the scale factors. */
    public MethodSettings withScales(int... s) {
        return new MethodSettings(blocks, guided, threshold, minCandidates, s, subtraction, crf, threads, point,
                seed, alpha, new double[0], candidateMaps);
    }

    /** These settings at factors of each image's own longest side; they replace the fixed scales. */
    public MethodSettings withScaleFactors(double... f) {
        return new MethodSettings(blocks, guided, threshold, minCandidates, new int[0], subtraction, crf, threads,
                point, seed, alpha, f, candidateMaps);
    }

    @Override
    public double[] scaleFactors() {
        return scaleFactors.clone();
    }

    public MethodSettings withSubtraction(ClassMapSubtractor.Rule rule) {
        return new MethodSettings(blocks, guided, threshold, minCandidates, scales, rule, crf, threads, point,
                seed, alpha, scaleFactors, candidateMaps);
    }

    public MethodSettings withCrf(CrfSettings c) {
        return new MethodSettings(blocks, guided, threshold, minCandidates, scales, subtraction, c, threads, point,
                seed, alpha, scaleFactors, candidateMaps);
    }

    public MethodSettings withPoint(DerivativePoint p) {
        return new MethodSettings(blocks, guided, threshold, minCandidates, scales, subtraction, crf, threads, p, seed,
                alpha, scaleFactors, candidateMaps);
    }

    public MethodSettings withSeed(ScoreSeed s) {
        return new MethodSettings(blocks, guided, threshold, minCandidates, scales, subtraction, crf, threads, point, s,
                alpha, scaleFactors, candidateMaps);
    }

    public MethodSettings withAlpha(double a) {
        return new MethodSettings(blocks, guided, threshold, minCandidates, scales, subtraction, crf, threads, point,
                seed, a, scaleFactors, candidateMaps);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MethodSettings m && Arrays.equals(blocks, m.blocks) && guided == m.guided
                && threshold == m.threshold && minCandidates == m.minCandidates && Arrays.equals(scales, m.scales)
                && subtraction == m.subtraction && crf.equals(m.crf) && threads == m.threads
                && point == m.point && seed == m.seed && Double.compare(alpha, m.alpha) == 0
                && Arrays.equals(scaleFactors, m.scaleFactors) && candidateMaps.equals(m.candidateMaps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(blocks), guided, threshold, minCandidates, Arrays.hashCode(scales),
                subtraction, crf, threads, point, seed, alpha, Arrays.hashCode(scaleFactors), candidateMaps);
    }

    @Override
    public String toString() {
        return "blocks " + Arrays.toString(blocks) + (guided ? ", guided" : ", plain") + " BP, derivative at "
                + point + ", candidates p > " + threshold + " (at least " + minCandidates + "), scales "
                + (scaleFactors.length > 0 ? Arrays.toString(scaleFactors) + " × each image's longest side"
                : Arrays.toString(scales)) + ", Eq. 4 " + subtraction + ", candidate maps " + candidateMaps + ", alpha "
                + alpha + ", CRF " + crf;
    }

    /** The settings as the Simonyan baseline uses them (see {@link #baseline}). */
    public String baselineDescription() {
        return "input gradient of the " + (seed == ScoreSeed.GLOBAL_MAX ? "pooled class score (Eq. 2)"
                : "sum of the class score map") + ", plain BP, image at its own size, candidates p > " + threshold
                + " (at least " + minCandidates + "), candidate maps " + candidateMaps + ", alpha " + alpha + ", CRF "
                + crf;
    }
}
