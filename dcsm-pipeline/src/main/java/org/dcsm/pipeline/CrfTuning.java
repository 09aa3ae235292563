package org.dcsm.pipeline;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjDoubleConsumer;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMapSubtractor;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.MultiScaleAggregator;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.core.impl.NdArrays;
import org.dcsm.core.impl.Parallel;
import org.dcsm.core.pipeline.BatchReport;
import org.dcsm.core.pipeline.BatchRunner;
import org.dcsm.core.pipeline.CrfGridSearch;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.dcsm.core.pipeline.MapFusion;
import org.dcsm.core.pipeline.ProgressListener;
import org.dcsm.core.pipeline.Refiner;
import org.dcsm.core.pipeline.Segmentation;
import org.dcsm.crf.CrfImage;
import org.dcsm.crf.CrfSettings;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.KernelNormalization;
import org.dcsm.crf.PreparedImage;
import org.dcsm.crf.UnaryEnergies;
import org.dcsm.crf.UnaryLayout;
import org.dcsm.crf.pipeline.DenseCrfRefiner;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The search of {@code dcsm tune-crf}, per method: Eq. 5's gain {@code alpha} (the paper searched it for both
 * methods, Table 1) and the dense CRF's normalisation mode, weights and θs (the paper chose the CRF by a grid
 * search on val, §4.2). Each image's saliency is computed once; its Eq. 5 / Eq. 7 maps once per alpha; its CRF
 * lattices once per set of θs ({@link PreparedImage}); then every CRF of the grid refines every alpha's maps on them
 * and is scored by mIoU (the scores of {@link CrfGridSearch} with a {@link DenseCrfRefiner} per point). The two steps
 * are separate functions so that dcsm-spark can spread them (images, then grid points) over executors: a
 * {@link Sampler} turns one image into a {@link Sample} (plain arrays), and {@link #score} runs the points of some
 * {@link #thetaGroups θ-groups} on one sample; {@link #scores} and {@link #rank} turn the summed matrices into the
 * result. Every
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

    /** An image with its mask, read when asked: a failure to read fails this image only. */
    public interface Item {

        String id();

        /** The {@code 3×H×W} RGB image (0–255); may throw when the file is unreadable. */
        INDArray image() throws IOException;

        /** The ground truth (class ids, 255 void); may throw when it is missing or unreadable. */
        LabelMap mask() throws IOException;
    }

    /**
     * What the search needs of one image, in plain Java arrays: the planar RGB (as the CRF reads it), per searched
     * alpha the unary energies of its Eq. 7 maps ({@code -log} of the maps, pixel-major, with the labels' class ids),
     * and the mask. Built once per image ({@link Sampler#sample}), then scored by every CRF of the grid
     * ({@link #score}). {@link Serializable} so that dcsm-spark can ship it between stages: a deserialised sample is
     * checked again (every length against the size), as the constructor checks it. Immutable; the accessors return
     * new objects. Memory: {@link #bytes()}, about {@code 4·H·W·(3 + Σ labels) + 4·H·W} bytes.
     */
    public static final class Sample implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        private final String id;
        private final int width;
        private final int height;
        private final float[] rgb;
        private final float[][] unary;
        private final int[][] classIds;
        private final int[] truth;

        private Sample(String id, int width, int height, float[] rgb, float[][] unary, int[][] classIds, int[] truth) {
            this.id = id;
            this.width = width;
            this.height = height;
            this.rgb = rgb;
            this.unary = unary;
            this.classIds = classIds;
            this.truth = truth;
            check();
        }

        /**
         * A sample from the image, its Eq. 7 maps per alpha (in the order of the alphas searched) and its mask.
         *
         * @throws IllegalArgumentException when no maps are given, or the maps or the mask do not have the image's
         *                                  size, or a value is NaN or ±Inf
         */
        public static Sample of(String id, INDArray image, List<ClassMaps> eq7ByAlpha, LabelMap truth) {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(truth, "truth");
            if (eq7ByAlpha.isEmpty()) {
                throw new IllegalArgumentException("A tuning sample needs the maps of at least one alpha, found none");
            }
            if (image.rank() != 3 || image.size(0) != 3) {
                throw new IllegalArgumentException("The image must be an RGB tensor 3×H×W, found shape "
                        + Arrays.toString(image.shape()));
            }
            int h = (int) image.size(1);
            int w = (int) image.size(2);
            float[] rgb = NdArrays.toFloats(image); // as CrfInput
            float[][] unary = new float[eq7ByAlpha.size()][];
            int[][] ids = new int[eq7ByAlpha.size()][];
            for (int a = 0; a < unary.length; a++) {
                ClassMaps eq7 = eq7ByAlpha.get(a);
                UnaryEnergies u = UnaryEnergies.of(eq7.unary(), eq7.classIds()); // as DenseCrfRefiner
                if (u.width() != w || u.height() != h) {
                    throw new IllegalArgumentException("The maps of alpha #" + a + " are " + u.width() + "x"
                            + u.height() + " but the image is " + w + "x" + h);
                }
                unary[a] = u.energies(null, UnaryLayout.PIXEL_MAJOR);
                ids[a] = u.classIds();
            }
            return new Sample(id, w, h, rgb, unary, ids, truth.toArray());
        }

        private void check() {
            Objects.requireNonNull(id, "id");
            CrfImage.builder(width, height); // the CRF's own size check
            long n = (long) width * height;
            if (rgb == null || rgb.length != 3 * n) {
                throw new IllegalArgumentException("Sample '" + id + "': " + width + "x" + height + " RGB needs "
                        + 3 * n + " values, found " + (rgb == null ? "none" : rgb.length));
            }
            if (truth == null || truth.length != n) {
                throw new IllegalArgumentException("Sample '" + id + "': the mask has " + (truth == null ? "no"
                        : truth.length) + " pixels but the image is " + width + "x" + height);
            }
            if (unary == null || classIds == null || unary.length == 0 || unary.length != classIds.length) {
                throw new IllegalArgumentException("Sample '" + id + "' needs one unary and one set of class ids per "
                        + "alpha");
            }
            for (int a = 0; a < unary.length; a++) {
                if (classIds[a] == null || classIds[a].length == 0 || unary[a] == null
                        || unary[a].length != classIds[a].length * n) {
                    throw new IllegalArgumentException("Sample '" + id + "': the unary of alpha #" + a + " does not "
                            + "hold " + (classIds[a] == null ? "?" : classIds[a].length) + " labels over " + n
                            + " pixels");
                }
            }
        }

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            try {
                check();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new InvalidObjectException(e.getMessage());
            }
        }

        public String id() {
            return id;
        }

        public int width() {
            return width;
        }

        public int height() {
            return height;
        }

        /** How many alphas' unaries the sample holds. */
        public int alphas() {
            return unary.length;
        }

        /** The image as the CRF reads it (a new object). */
        public CrfImage image() {
            return CrfImage.builder(width, height).rgbPlanar(rgb).build();
        }

        /** The unary energies of alpha #{@code a} (a new object). */
        public UnaryEnergies unary(int a) {
            return UnaryEnergies.of(unary[a], UnaryLayout.PIXEL_MAJOR, classIds[a].length, width, height, classIds[a]);
        }

        /** The mask (a new object). */
        public LabelMap truth() {
            return LabelMap.of(width, height, truth);
        }

        /** The bytes of the sample's arrays. */
        public long bytes() {
            long b = 4L * rgb.length + 4L * truth.length;
            for (int a = 0; a < unary.length; a++) {
                b += 4L * unary[a].length + 4L * classIds[a].length;
            }
            return b;
        }
    }

    /**
     * Computes {@link Sample}s of one method: the image's saliency once, its Eq. 5 / Eq. 7 maps once per alpha. Holds
     * the method's pipeline (a DL4J network): one thread at a time.
     */
    public static final class Sampler {
        private final List<Double> alphas;
        private final MethodSettings settings;
        private final DcsmPipeline maps;
        private final ClassMapSubtractor subtractor;

        private Sampler(FcnModel model, Method method, MethodSettings settings, List<Double> alphas) {
            this.alphas = List.copyOf(alphas);
            this.settings = settings;
            this.maps = DcsmPipelines.forMethod(method, model, settings).toBuilder().refiner(Refiner.argmax())
                    .keepRawMaps(true).build();
            this.subtractor = ClassMapSubtractor.builder().rule(settings.subtraction()).threads(settings.threads())
                    .build();
        }

        /**
         * The image's sample: its Eq. 7 maps for each alpha, as {@link #tune} scores them.
         *
         * @throws IllegalArgumentException when the mask does not have the image's size
         */
        public Sample sample(String id, INDArray image, LabelMap truth) {
            Segmentation s = maps.segment(image);
            ClassMaps distinct = s.rawMaps().map(subtractor::subtract).orElse(null);
            int h = (int) image.size(1);
            int w = (int) image.size(2);
            List<ClassMaps> eq7 = new ArrayList<>(alphas.size());
            for (double alpha : alphas) {
                eq7.add(distinct == null ? s.beforeRefinement() : settings.candidateMaps().apply(
                        MapFusion.eq5(alpha, MultiScaleAggregator.Normalization.MAX, settings.threads())
                                .fuse(distinct, h, w), s.candidates()));
            }
            return Sample.of(id, image, eq7, truth);
        }
    }

    /**
     * The sampler of {@code method} for these alphas.
     *
     * @param settings the method's settings ({@link MethodSettings#baseline} ones for the baseline); their alpha
     *                 and CRF are not used, their candidate-map rule is
     * @throws IllegalArgumentException for {@link Method#DCSM_NOCRF} (no CRF to tune), no alpha, or a bad alpha
     */
    public static Sampler sampler(FcnModel model, Method method, MethodSettings settings, List<Double> alphas) {
        requireTunable(method, alphas);
        return new Sampler(Objects.requireNonNull(model, "model"), method, Objects.requireNonNull(settings,
                "settings"), alphas);
    }

    /**
     * Checks a search before any work: a method with a CRF, at least one alpha, each &gt; 0 and finite.
     *
     * @throws IllegalArgumentException naming the method or the alpha
     */
    public static void requireTunable(Method method, List<Double> alphas) {
        if (method == Method.DCSM_NOCRF) {
            throw new IllegalArgumentException("Method " + method + " has no CRF to tune; tune dcsm or simonyan");
        }
        if (alphas.isEmpty()) {
            throw new IllegalArgumentException("At least one alpha must be searched, found none");
        }
        for (double a : alphas) {
            MethodPreset.requireAlpha("alphas", a);
        }
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
                                    List<? extends Item> items, List<Double> alphas, List<CrfSettings> grid,
                                    ProgressListener loading, ProgressListener search) {
        Sampler sampler = sampler(model, method, settings, alphas);
        List<Sample> samples = new ArrayList<>();
        BatchReport report = BatchRunner.run(items, items.size(), Item::id,
                item -> samples.add(sampler.sample(item.id(), item.image(), item.mask())), loading);
        if (samples.isEmpty()) {
            throw new IllegalStateException("No image could be used for tuning: " + report.failures());
        }
        List<CrfGridSearch.Score<Point>> all = search(model.classes(), alphas, samples, grid, settings.threads(),
                search);
        return new MethodResult(method, split, samples.size(), rank(all), MethodPreset.defaultOf(method), report);
    }

    /**
     * Scores every (alpha, CRF) point on the samples, as {@link CrfGridSearch#search} of a {@link DenseCrfRefiner} per
     * point would (the same labels, bitwise), but with one lattice build per image and set of bandwidths
     * ({@link #thetaGroups}, {@link #score}).
     *
     * @param samples  the samples, each with the unaries of every alpha (in order)
     * @param listener told about each image (id = the sample's id)
     * @return per alpha (in order), per grid point (in order), the point and its scores; not ranked
     */
    static List<CrfGridSearch.Score<Point>> search(ClassList classes, List<Double> alphas, List<Sample> samples,
                                                   List<CrfSettings> grid, int threads, ProgressListener listener) {
        List<List<Integer>> groups = thetaGroups(grid);
        // With several images the threads take whole images, each CRF on one thread: images are independent, so this
        // scales where one CRF on a small image cannot use a second thread. The counts are integers and a CRF's labels
        // do not depend on its thread count, so the summed matrices equal the sequential ones exactly.
        int workers = Math.min(Parallel.requireThreads(threads), samples.size());
        List<DenseCrf> crfs = grid.stream().map(c -> c.toCrf(workers > 1 ? 1 : threads)).toList();
        ConfusionMatrix[][][] perWorker = new ConfusionMatrix[Math.max(workers, 1)][][];
        AtomicInteger next = new AtomicInteger();
        listener.started(samples.size());
        Parallel.shared(Math.max(workers, 1)).forChunks(perWorker.length, w -> {
            ConfusionMatrix[][] cm = matrices(classes, alphas.size(), grid.size());
            perWorker[w] = cm;
            for (int i = next.getAndIncrement(); i < samples.size(); i = next.getAndIncrement()) {
                Sample s = samples.get(i);
                score(s, groups, crfs, cm);
                synchronized (listener) {
                    listener.succeeded(s.id());
                }
            }
        });
        listener.finished(new BatchReport(samples.size(), List.of()));
        ConfusionMatrix[][] sum = perWorker[0];
        for (int w = 1; w < perWorker.length; w++) {
            for (int a = 0; a < sum.length; a++) {
                for (int g = 0; g < sum[a].length; g++) {
                    sum[a][g].merge(perWorker[w][a][g]);
                }
            }
        }
        return scores(alphas, grid, sum);
    }

    /** One empty matrix per (alpha, grid point). */
    private static ConfusionMatrix[][] matrices(ClassList classes, int alphas, int points) {
        ConfusionMatrix[][] cm = new ConfusionMatrix[alphas][points];
        for (ConfusionMatrix[] row : cm) {
            for (int g = 0; g < row.length; g++) {
                row[g] = ConfusionMatrix.of(classes);
            }
        }
        return cm;
    }

    /**
     * The grid's points grouped by ({@code theta_alpha}, {@code theta_beta}, {@code theta_gamma}): the points of a
     * group share the lattices of an image ({@link DenseCrf#prepare}). Groups in order of first appearance, each
     * holding grid indices in grid order.
     */
    public static List<List<Integer>> thetaGroups(List<CrfSettings> grid) {
        Map<List<Double>, List<Integer>> groups = new LinkedHashMap<>();
        for (int g = 0; g < grid.size(); g++) {
            CrfSettings c = grid.get(g);
            groups.computeIfAbsent(List.of(c.thetaAlpha(), c.thetaBeta(), c.thetaGamma()), k -> new ArrayList<>())
                    .add(g);
        }
        List<List<Integer>> out = new ArrayList<>();
        groups.values().forEach(v -> out.add(List.copyOf(v)));
        return List.copyOf(out);
    }

    /**
     * Scores one image on some θ-groups: per group, prepares the image's lattices once (with the group's first CRF)
     * and adds, for every point {@code g} of the group and every alpha {@code a}, the CRF's labels on alpha
     * {@code a}'s unary to {@code cm[a][g]} (Modified). The rest of {@code cm} is not touched (and may be null).
     * Not thread-safe for one {@code cm}.
     *
     * @param groups groups of {@link #thetaGroups}, or some of them
     * @param crfs   the CRF of each grid point (by grid index; only the groups' entries are read)
     */
    public static void score(Sample sample, List<List<Integer>> groups, List<DenseCrf> crfs, ConfusionMatrix[][] cm) {
        if (cm.length != sample.alphas()) {
            throw new IllegalArgumentException("Sample '" + sample.id() + "' holds " + sample.alphas()
                    + " alphas' unaries but the matrices are for " + cm.length);
        }
        UnaryEnergies[] unary = new UnaryEnergies[sample.alphas()];
        for (int a = 0; a < unary.length; a++) {
            unary[a] = sample.unary(a);
        }
        CrfImage image = sample.image();
        LabelMap truth = sample.truth();
        for (List<Integer> group : groups) {
            PreparedImage prepared = crfs.get(group.get(0)).prepare(image);
            for (int g : group) {
                for (int a = 0; a < unary.length; a++) {
                    cm[a][g].add(truth, crfs.get(g).infer(prepared, unary[a]));
                }
            }
        }
    }

    /** The points with their matrices' scores: per alpha (in order), per grid point (in order); not ranked. */
    public static List<CrfGridSearch.Score<Point>> scores(List<Double> alphas, List<CrfSettings> grid,
                                                          ConfusionMatrix[][] cm) {
        List<CrfGridSearch.Score<Point>> all = new ArrayList<>();
        for (int a = 0; a < alphas.size(); a++) {
            for (int g = 0; g < grid.size(); g++) {
                all.add(new CrfGridSearch.Score<>(new Point(alphas.get(a), grid.get(g)), cm[a][g].scores()));
            }
        }
        return all;
    }

    /** Best mIoU first; NaN last; ties keep the given order. */
    public static List<CrfGridSearch.Score<Point>> rank(List<CrfGridSearch.Score<Point>> scores) {
        List<CrfGridSearch.Score<Point>> ranked = new ArrayList<>(scores);
        ranked.sort(Comparator.comparingDouble((CrfGridSearch.Score<Point> s) -> Double.isNaN(s.meanIou()) ? -1
                : s.meanIou()).reversed());
        return ranked;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
