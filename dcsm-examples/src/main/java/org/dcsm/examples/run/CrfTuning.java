package org.dcsm.examples.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ObjDoubleConsumer;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMapSubtractor;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.MultiScaleAggregator;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.core.pipeline.BatchReport;
import org.dcsm.core.pipeline.BatchRunner;
import org.dcsm.core.pipeline.CrfGridSearch;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.dcsm.core.pipeline.MapFusion;
import org.dcsm.core.pipeline.ProgressListener;
import org.dcsm.core.pipeline.Refiner;
import org.dcsm.core.pipeline.Segmentation;
import org.dcsm.crf.CrfImage;
import org.dcsm.crf.CrfInput;
import org.dcsm.crf.CrfSettings;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.KernelNormalization;
import org.dcsm.crf.PreparedImage;
import org.dcsm.crf.UnaryEnergies;
import org.dcsm.crf.pipeline.DenseCrfRefiner;
import org.dcsm.pipeline.DcsmPipelines;
import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodPreset;
import org.dcsm.pipeline.MethodSettings;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The search of {@code dcsm tune-crf}, per method: Eq. 5's gain {@code alpha} (the paper searched it for both
 * methods, Table 1) and the dense CRF's normalisation mode, weights and θs (the paper chose the CRF by a grid
 * search on val, §4.2). Each image's saliency is computed once; its Eq. 5 / Eq. 7 maps once per alpha; its CRF
 * lattices once per set of θs ({@link PreparedImage}); then every CRF of the grid refines every alpha's maps on them
 * and is scored by mIoU (the scores of {@link CrfGridSearch} with a {@link DenseCrfRefiner} per point). Every
 * method gets the same procedure on the same images. It reads the pixel labels of the split it tunes on, so honest
 * figures tune on one split (train) and report another (val): the result records the split, and {@code evaluate}
 * warns when the two are the same.
 */
public final class CrfTuning {

    /** One point of the search: Eq. 5's alpha and the CRF. */
    public record Point(double alpha, CrfSettings crf) {
        public Point {
            Objects.requireNonNull(crf, "crf");
            MethodPreset.requireAlpha("alpha", alpha);
        }

        /** This point as a preset tuned on {@code split}. */
        public MethodPreset preset(String split) {
            return new MethodPreset(alpha, crf, split);
        }

        @Override
        public String toString() {
            return "alpha " + fmt(alpha) + ", " + crf;
        }
    }

    /**
     * One method's search: points best first (ties keep the search order: alphas as given, then the grid).
     *
     * @param method  the method tuned
     * @param split   the split tuned on
     * @param images  the images scored
     * @param ranked  every point with its scores, best mIoU first; at least one
     * @param builtIn the method's built-in preset, scored as one of the points when the search holds it
     * @param loading the images that could not be used
     */
    public record MethodResult(Method method, String split, int images, List<CrfGridSearch.Score<Point>> ranked,
                               MethodPreset builtIn, BatchReport loading) {
        public MethodResult {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(loading, "loading");
            Objects.requireNonNull(split, "split");
            Objects.requireNonNull(builtIn, "builtIn");
            ranked = List.copyOf(ranked);
            if (ranked.isEmpty()) {
                throw new IllegalArgumentException("ranked must hold at least one scored point, found none");
            }
        }

        public CrfGridSearch.Score<Point> best() {
            return ranked.get(0);
        }

        /** The second best point, when the search had more than one. */
        public Optional<CrfGridSearch.Score<Point>> runnerUp() {
            return ranked.size() > 1 ? Optional.of(ranked.get(1)) : Optional.empty();
        }

        /** The built-in preset's score, when the search held it. */
        public Optional<CrfGridSearch.Score<Point>> builtInScore() {
            Point p = new Point(builtIn.alpha(), builtIn.crf());
            return ranked.stream().filter(s -> s.params().equals(p)).findFirst();
        }

        /** How many points score within {@code points} mIoU points (percent) of the best. */
        public long within(double points) {
            double best = 100 * best().meanIou();
            return ranked.stream().filter(s -> 100 * s.meanIou() >= best - points).count();
        }

        /**
         * The report {@code dcsm tune-crf} prints: the best point and the runner-up with their mIoU, the gap, the
         * built-in preset's score, and how many points lie within one mIoU point of the best (how flat the optimum
         * is). The mIoU is on the tuning split.
         */
        public List<String> summary() {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "%s: %d settings on %d images of '%s' (mIoU %% on this tuning split):",
                    method.title(), ranked.size(), images, split));
            CrfGridSearch.Score<Point> b = best();
            lines.add(String.format(Locale.ROOT, "  best       %6.2f  %s", 100 * b.meanIou(), b.params()));
            runnerUp().ifPresentOrElse(r -> lines.add(String.format(Locale.ROOT, "  runner-up  %6.2f  %s  (%+.2f)",
                    100 * r.meanIou(), r.params(), 100 * (r.meanIou() - b.meanIou()))),
                    () -> lines.add("  runner-up  none (one setting searched)"));
            builtInScore().ifPresent(s -> lines.add(String.format(Locale.ROOT, "  built-in   %6.2f  %s  (%+.2f)",
                    100 * s.meanIou(), s.params(), 100 * (s.meanIou() - b.meanIou()))));
            lines.add(String.format(Locale.ROOT, "  %d of %d settings within 1 mIoU point of the best", within(1),
                    ranked.size()));
            return lines;
        }
    }

    private CrfTuning() {
    }

    /** The alphas searched by default: the paper's 3 for DCSM, 5, and its 8 for Simonyan et al. (Table 1), and 1. */
    public static final List<Double> DEFAULT_ALPHAS = List.of(1.0, 3.0, 5.0, 8.0);

    /** The normalisation modes searched by default. */
    public static final List<KernelNormalization> DEFAULT_MODES = List.of(KernelNormalization.SYMMETRIC,
            KernelNormalization.MEAN);

    /**
     * The axes of the CRF grid: the bilateral weight {@code w1} and bandwidths {@code theta_alpha},
     * {@code theta_beta}, and the Gaussian weight {@code w2} ({@code theta_gamma} stays 3, 10 iterations).
     *
     * @param w1          bilateral weights, each a weight {@link CrfSettings} accepts
     * @param thetaAlpha  bilateral position bandwidths in pixels, each a width {@link CrfSettings} accepts
     * @param thetaBeta   bilateral colour bandwidths (RGB 0..255), each a width {@link CrfSettings} accepts
     * @param w2          Gaussian weights, each a weight {@link CrfSettings} accepts
     */
    public record Axes(List<Double> w1, List<Double> thetaAlpha, List<Double> thetaBeta, List<Double> w2) {

        /** {@code w1} ∈ {1, 3, 5}, {@code theta_alpha} ∈ {10, 30, 60}, {@code theta_beta} ∈ {5, 10, 20}, {@code w2} ∈ {1, 3}. */
        public static final Axes DEFAULT = new Axes(List.of(1.0, 3.0, 5.0), List.of(10.0, 30.0, 60.0),
                List.of(5.0, 10.0, 20.0), List.of(1.0, 3.0));

        /**
         * @throws IllegalArgumentException naming the axis and the value: an empty axis, or a value outside the
         *                                  range {@link CrfSettings} accepts (its own check)
         */
        public Axes {
            w1 = check("w1", w1, CrfSettings::requireWeight);
            thetaAlpha = check("theta_alpha", thetaAlpha, CrfSettings::requireTheta);
            thetaBeta = check("theta_beta", thetaBeta, CrfSettings::requireTheta);
            w2 = check("w2", w2, CrfSettings::requireWeight);
        }

        private static List<Double> check(String name, List<Double> values, ObjDoubleConsumer<String> accepts) {
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("The CRF grid's " + name + " axis needs at least one value");
            }
            for (Double v : values) {
                if (v == null) {
                    throw new IllegalArgumentException("The CRF grid's " + name + " axis holds no value at a position");
                }
                accepts.accept(name, v);
            }
            return List.copyOf(values);
        }

        /**
         * The axes on whose first or last value {@code c} lies, where the axis has more values to choose from
         * (e.g. "w1 = 5.0, the largest searched"): an optimum there may lie outside the grid.
         */
        public List<String> edgesOf(CrfSettings c) {
            List<String> edges = new ArrayList<>();
            edge(edges, "w1", w1, c.w1());
            edge(edges, "theta_alpha", thetaAlpha, c.thetaAlpha());
            edge(edges, "theta_beta", thetaBeta, c.thetaBeta());
            edge(edges, "w2", w2, c.w2());
            return edges;
        }

        private static void edge(List<String> edges, String name, List<Double> axis, double v) {
            if (axis.size() < 2) {
                return;
            }
            double min = axis.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double max = axis.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            if (v == min) {
                edges.add(name + " = " + v + ", the smallest searched");
            } else if (v == max) {
                edges.add(name + " = " + v + ", the largest searched");
            }
        }
    }

    /**
     * The CRF grid on the {@link Axes#DEFAULT} axes: 54 points per mode, the paper's point always included.
     *
     * @throws IllegalArgumentException when no mode is given
     */
    public static List<CrfSettings> grid(List<KernelNormalization> modes) {
        return grid(modes, Axes.DEFAULT);
    }

    /**
     * The CRF grid: for each mode, every combination of the axes' values, {@code theta_gamma} = 3, 10 iterations. The
     * paper's point is always included.
     *
     * @throws IllegalArgumentException when no mode is given
     */
    public static List<CrfSettings> grid(List<KernelNormalization> modes, Axes axes) {
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("At least one normalisation mode must be searched, found none");
        }
        List<CrfSettings> grid = new ArrayList<>();
        for (KernelNormalization n : modes) {
            for (double w1 : axes.w1()) {
                for (double alpha : axes.thetaAlpha()) {
                    for (double beta : axes.thetaBeta()) {
                        for (double w2 : axes.w2()) {
                            CrfSettings c = new CrfSettings(w1, alpha, beta, w2, 3, 10, n);
                            if (!grid.contains(c)) {
                                grid.add(c);
                            }
                        }
                    }
                }
            }
        }
        if (!grid.contains(CrfSettings.paper())) {
            grid.add(0, CrfSettings.paper());
        }
        return grid;
    }

    /**
     * Tunes {@code method} ({@link Method#DCSM}: DCSM's CRF on its Eq. 7 maps; {@link Method#SIMONYAN}: the
     * baseline's CRF on its own maps).
     *
     * @param settings the method's settings ({@link MethodSettings#baseline} ones for the baseline); their alpha
     *                 and CRF are not used, their candidate-map rule is
     * @param split    the split the items come from (recorded in the result)
     * @param items    images with masks (a failed one is reported and skipped)
     * @param alphas   Eq. 5 gains to search, at least one, each &gt; 0
     * @param grid     the CRFs to search, at least one
     * @throws IllegalArgumentException for {@link Method#DCSM_NOCRF} (no CRF to tune), no alpha, or a bad alpha
     * @throws IllegalStateException when no image could be used
     */
    public static MethodResult tune(FcnModel model, Method method, MethodSettings settings, String split,
                                    List<EvalItem> items, List<Double> alphas, List<CrfSettings> grid,
                                    ProgressListener loading, ProgressListener search) {
        if (method == Method.DCSM_NOCRF) {
            throw new IllegalArgumentException("Method " + method + " has no CRF to tune; tune dcsm or simonyan");
        }
        if (alphas.isEmpty()) {
            throw new IllegalArgumentException("At least one alpha must be searched, found none");
        }
        for (double a : alphas) {
            MethodPreset.requireAlpha("alphas", a);
        }
        DcsmPipeline maps = DcsmPipelines.forMethod(method, model, settings).toBuilder().refiner(Refiner.argmax())
                .keepRawMaps(true).build();
        ClassMapSubtractor subtractor = ClassMapSubtractor.builder().rule(settings.subtraction())
                .threads(settings.threads()).build();
        List<List<CrfGridSearch.Sample>> byAlpha = new ArrayList<>();
        for (int i = 0; i < alphas.size(); i++) {
            byAlpha.add(new ArrayList<>());
        }
        BatchReport report = BatchRunner.run(items, items.size(), EvalItem::id, item -> {
            INDArray image = item.image();
            LabelMap truth = item.mask();
            Segmentation s = maps.segment(image);
            ClassMaps distinct = s.rawMaps().map(subtractor::subtract).orElse(null);
            int h = (int) image.size(1);
            int w = (int) image.size(2);
            for (int i = 0; i < alphas.size(); i++) {
                ClassMaps eq7 = distinct == null ? s.beforeRefinement() : settings.candidateMaps().apply(
                        MapFusion.eq5(alphas.get(i), MultiScaleAggregator.Normalization.MAX, settings.threads())
                                .fuse(distinct, h, w), s.candidates());
                byAlpha.get(i).add(new CrfGridSearch.Sample(item.id(), image, eq7, truth));
            }
        }, loading);
        if (byAlpha.get(0).isEmpty()) {
            throw new IllegalStateException("No image could be used for tuning: " + report.failures());
        }
        List<CrfGridSearch.Score<Point>> all = search(model.classes(), alphas, byAlpha, grid, settings.threads(),
                search);
        return new MethodResult(method, split, byAlpha.get(0).size(), rank(all), MethodPreset.defaultOf(method),
                report);
    }

    /**
     * Scores every (alpha, CRF) point on the samples, as {@link CrfGridSearch#search} of a {@link DenseCrfRefiner} per
     * point would (the same labels, bitwise), but with one lattice build per image and set of bandwidths: per image,
     * the grid's CRFs are grouped by ({@code theta_alpha}, {@code theta_beta}, {@code theta_gamma}); each group
     * prepares the image once ({@link DenseCrf#prepare}) and runs all its weights and modes, for every alpha's
     * unary, on it.
     *
     * @param byAlpha per alpha, the samples (the same images and masks, in the same order, for every alpha)
     * @param listener told about each image (id = the sample's id)
     * @return per alpha (in order), per grid point (in order), the point and its scores; not ranked
     */
    static List<CrfGridSearch.Score<Point>> search(ClassList classes, List<Double> alphas,
                                                   List<List<CrfGridSearch.Sample>> byAlpha, List<CrfSettings> grid,
                                                   int threads, ProgressListener listener) {
        Map<List<Double>, List<Integer>> groups = new LinkedHashMap<>();
        for (int g = 0; g < grid.size(); g++) {
            CrfSettings c = grid.get(g);
            groups.computeIfAbsent(List.of(c.thetaAlpha(), c.thetaBeta(), c.thetaGamma()), k -> new ArrayList<>())
                    .add(g);
        }
        List<DenseCrf> crfs = grid.stream().map(c -> c.toCrf(threads)).toList();
        ConfusionMatrix[][] cm = new ConfusionMatrix[alphas.size()][grid.size()];
        for (ConfusionMatrix[] row : cm) {
            for (int g = 0; g < row.length; g++) {
                row[g] = ConfusionMatrix.of(classes);
            }
        }
        int images = byAlpha.get(0).size();
        listener.started(images);
        for (int s = 0; s < images; s++) {
            UnaryEnergies[] unary = new UnaryEnergies[alphas.size()];
            for (int a = 0; a < unary.length; a++) {
                ClassMaps eq7 = byAlpha.get(a).get(s).probabilities();
                unary[a] = UnaryEnergies.of(eq7.unary(), eq7.classIds()); // as DenseCrfRefiner
            }
            CrfGridSearch.Sample first = byAlpha.get(0).get(s);
            CrfImage image = CrfInput.of(first.image(), unary[0]).image();
            for (List<Integer> group : groups.values()) {
                PreparedImage prepared = crfs.get(group.get(0)).prepare(image);
                for (int g : group) {
                    for (int a = 0; a < unary.length; a++) {
                        cm[a][g].add(byAlpha.get(a).get(s).groundTruth(), crfs.get(g).infer(prepared, unary[a]));
                    }
                }
            }
            listener.succeeded(first.id());
        }
        listener.finished(new BatchReport(images, List.of()));
        List<CrfGridSearch.Score<Point>> all = new ArrayList<>();
        for (int a = 0; a < alphas.size(); a++) {
            for (int g = 0; g < grid.size(); g++) {
                all.add(new CrfGridSearch.Score<>(new Point(alphas.get(a), grid.get(g)), cm[a][g].scores()));
            }
        }
        return all;
    }

    /** Best mIoU first; NaN last; ties keep the given order. */
    static List<CrfGridSearch.Score<Point>> rank(List<CrfGridSearch.Score<Point>> scores) {
        List<CrfGridSearch.Score<Point>> ranked = new ArrayList<>(scores);
        ranked.sort(Comparator.comparingDouble((CrfGridSearch.Score<Point> s) -> Double.isNaN(s.meanIou()) ? -1
                : s.meanIou()).reversed());
        return ranked;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
