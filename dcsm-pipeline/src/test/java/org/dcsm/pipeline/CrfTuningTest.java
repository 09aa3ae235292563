package org.dcsm.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dcsm.crf.CrfSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.core.eval.SegmentationScores;
import org.dcsm.core.pipeline.BatchReport;
import org.dcsm.core.pipeline.CrfGridSearch;
import org.dcsm.core.pipeline.ProgressListener;
import org.dcsm.crf.KernelNormalization;
import org.dcsm.crf.UnaryLayout;
import org.dcsm.crf.pipeline.DenseCrfRefiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The tuning report (best, runner-up, built-in preset, flatness), the grid, and the per-method preset files. */
class CrfTuningTest {

    private static final ClassList CLASSES = ClassList.of("background", "a");
    private static final LabelMap TRUTH = LabelMap.of(10, 1, new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1});

    @TempDir
    Path dir;

    /** Scores of a prediction that labels the first {@code background} pixels background and the rest class a. */
    private static SegmentationScores scores(int background) {
        int[] ids = new int[10];
        for (int i = background; i < 10; i++) {
            ids[i] = 1;
        }
        ConfusionMatrix cm = ConfusionMatrix.of(CLASSES);
        cm.add(TRUTH, LabelMap.of(10, 1, ids));
        return cm.scores();
    }

    private static CrfGridSearch.Score<CrfTuning.Point> score(double alpha, CrfSettings crf, int background) {
        return new CrfGridSearch.Score<>(new CrfTuning.Point(alpha, crf), scores(background));
    }

    private static final CrfSettings WIDE = new CrfSettings(5, 60, 20, 3, 3, 10, KernelNormalization.MEAN);

    /**
     * A seeded sample: a two-region image (a bright disc of class id 2 on a dark ground), ground truth to match with a
     * void border, and noisy Eq. 7 maps whose noise grows with {@code alpha} (so that each alpha has its own unary).
     */
    private static CrfGridSearch.Sample sample(String id, long seed, double alpha) {
        int w = 36;
        int h = 28;
        int n = w * h;
        Random rnd = new Random(seed);
        float[] rgb = new float[3 * n];
        int[] truth = new int[n];
        float[] maps = new float[3 * n];
        Random noise = new Random(seed * 31 + (long) (alpha * 1000));
        for (int i = 0; i < n; i++) {
            int x = i % w;
            int y = i / w;
            boolean disc = (x - 20) * (x - 20) + (y - 12) * (y - 12) < 64;
            truth[i] = x == 0 ? LabelMap.VOID : disc ? 2 : 0;
            for (int c = 0; c < 3; c++) {
                rgb[c * n + i] = (float) Math.max(0, Math.min(255, (disc ? 200 : 40) + 10 * rnd.nextGaussian()));
            }
            for (int c = 0; c < 3; c++) {
                double p = (c == (disc ? 2 : 0) ? 0.55 : 0.25) + 0.2 * alpha * noise.nextGaussian() / 3;
                maps[c * n + i] = (float) Math.max(0, Math.min(1, p));
            }
        }
        INDArray image = Nd4j.create(rgb, new long[] {3, h, w}, 'c');
        ClassMaps eq7 = ClassMaps.of(new int[] {0, 1, 2}, Nd4j.create(maps, new long[] {3, h, w}, 'c'));
        return new CrfGridSearch.Sample(id, image, eq7, LabelMap.of(w, h, truth));
    }

    /** One build per image and θ gives the scores of a {@link DenseCrfRefiner} per point, exactly. */
    @Test
    void searchOnPreparedImagesScoresAsTheRefinerPerPoint() {
        ClassList classes = ClassList.of("background", "a", "b");
        List<Double> alphas = List.of(1.0, 3.0);
        List<CrfSettings> full = CrfTuning.grid(List.of(KernelNormalization.SYMMETRIC, KernelNormalization.MEAN));
        List<CrfSettings> grid = new ArrayList<>();
        for (int g = 0; g < full.size(); g += 7) {
            grid.add(full.get(g));
        }
        grid.add(new CrfSettings(0, 30, 10, 2, 3, 5, KernelNormalization.AFTER)); // no bilateral term
        List<List<CrfGridSearch.Sample>> byAlpha = new ArrayList<>();
        for (double a : alphas) {
            byAlpha.add(List.of(sample("s1", 1, a), sample("s2", 2, a)));
        }
        List<CrfTuning.Sample> samples = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            int i = s;
            samples.add(CrfTuning.Sample.of(byAlpha.get(0).get(i).id(), byAlpha.get(0).get(i).image(),
                    byAlpha.stream().map(b -> b.get(i).probabilities()).toList(), byAlpha.get(0).get(i).groundTruth()));
        }
        List<CrfGridSearch.Score<CrfTuning.Point>> got = CrfTuning.search(classes, alphas, samples, grid, 2,
                ProgressListener.none());
        assertThat(got).hasSize(alphas.size() * grid.size());
        for (int a = 0; a < alphas.size(); a++) {
            List<CrfGridSearch.Score<CrfSettings>> expected = CrfGridSearch.of(classes,
                    c -> DenseCrfRefiner.of(c.toCrf(1)), grid).search(byAlpha.get(a), ProgressListener.none());
            for (CrfGridSearch.Score<CrfSettings> e : expected) {
                CrfGridSearch.Score<CrfTuning.Point> g = got.get(a * grid.size() + grid.indexOf(e.params()));
                assertThat(g.params()).isEqualTo(new CrfTuning.Point(alphas.get(a), e.params()));
                for (int c = 0; c < 3; c++) {
                    assertThat(g.scores().truePositives(c)).as("%s class %d", g.params(), c)
                            .isEqualTo(e.scores().truePositives(c));
                    assertThat(g.scores().predictedPixels(c)).isEqualTo(e.scores().predictedPixels(c));
                }
            }
        }
        // the search did something: the points do not all score alike
        assertThat(got.stream().mapToDouble(CrfGridSearch.Score::meanIou).distinct().count()).isGreaterThan(1);
        // images spread over 2 threads (above) or run one by one with 2-thread CRFs, or more threads than images:
        // the same counts to the last pixel
        for (int threads : new int[] {1, 3}) {
            List<CrfGridSearch.Score<CrfTuning.Point>> other = CrfTuning.search(classes, alphas, samples, grid, threads,
                    ProgressListener.none());
            assertThat(other.stream().map(CrfTuningTest::counts).toList()).as("%d threads", threads)
                    .isEqualTo(got.stream().map(CrfTuningTest::counts).toList());
        }
    }

    /** A point's counts: per class its true positives, predicted and ground-truth pixels, then images and void. */
    private static List<Long> counts(CrfGridSearch.Score<CrfTuning.Point> s) {
        List<Long> out = new ArrayList<>();
        for (int c = 0; c < s.scores().classes().size(); c++) {
            out.add(s.scores().truePositives(c));
            out.add(s.scores().predictedPixels(c));
            out.add(s.scores().groundTruthPixels(c));
        }
        out.add(s.scores().images());
        out.add(s.scores().voidPixels());
        return out;
    }

    /** A sample survives Java serialisation (as dcsm-spark ships it) and refuses maps or a mask of another size. */
    @Test
    void aSampleTravelsAsPlainArraysAndRefusesSizesThatDoNotFit() throws Exception {
        CrfGridSearch.Sample s = sample("s1", 1, 3.0);
        CrfGridSearch.Sample noisier = sample("s1", 1, 8.0);
        CrfTuning.Sample t = CrfTuning.Sample.of("s1", s.image(), List.of(s.probabilities(), noisier.probabilities()),
                s.groundTruth());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(t);
        }
        CrfTuning.Sample back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (CrfTuning.Sample) in.readObject();
        }
        int n = 36 * 28;
        assertThat(back.id()).isEqualTo("s1");
        assertThat(back.alphas()).isEqualTo(2);
        assertThat(back.truth()).isEqualTo(s.groundTruth());
        for (int a = 0; a < 2; a++) {
            assertThat(back.unary(a).energies(null, UnaryLayout.PIXEL_MAJOR))
                    .isEqualTo(t.unary(a).energies(null, UnaryLayout.PIXEL_MAJOR));
            assertThat(back.unary(a).classIds()).containsExactly(0, 1, 2);
        }
        assertThat(back.unary(0).energies(null, UnaryLayout.PIXEL_MAJOR))
                .isNotEqualTo(back.unary(1).energies(null, UnaryLayout.PIXEL_MAJOR));
        // RGB 3n + mask n + per alpha 3 labels x n and 3 ids, 4 bytes each
        assertThat(back.bytes()).isEqualTo(t.bytes()).isEqualTo(4L * (3 * n + n + 2 * (3 * n + 3)));

        assertThat(assertThrows(IllegalArgumentException.class, () -> CrfTuning.Sample.of("x", s.image(), List.of(),
                s.groundTruth()))).hasMessage("A tuning sample needs the maps of at least one alpha, found none");
        assertThat(assertThrows(IllegalArgumentException.class, () -> CrfTuning.Sample.of("x", s.image(),
                List.of(s.probabilities()), LabelMap.of(10, 1, new int[10]))))
                .hasMessage("Sample 'x': the mask has 10 pixels but the image is 36x28");
        assertThat(assertThrows(IllegalArgumentException.class, () -> CrfTuning.Sample.of("x",
                s.image().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 20), NDArrayIndex.all()),
                List.of(s.probabilities()), LabelMap.of(36, 20, new int[36 * 20]))))
                .hasMessage("The maps of alpha #0 are 36x28 but the image is 36x20");
    }

    @Test
    void summaryNamesTheBestAndTheRunnerUpWithTheirMeanIou() {
        // 5 background pixels: perfect (100 %); 6: bg IoU 5/6, a IoU 4/5 (81.67 %); 10: bg 1/2, a 0 (25 %)
        List<CrfGridSearch.Score<CrfTuning.Point>> ranked = CrfTuning.rank(List.of(score(8, WIDE, 10),
                score(3, CrfSettings.paper(), 6), score(5, WIDE, 5)));
        CrfTuning.MethodResult r = new CrfTuning.MethodResult(Method.DCSM, "train", 2, ranked, MethodPreset.DCSM_DEFAULT,
                new BatchReport(2, List.of()));
        assertThat(r.best().params()).isEqualTo(new CrfTuning.Point(5, WIDE));
        assertThat(r.runnerUp()).map(s -> s.params().alpha()).contains(3.0);
        assertThat(r.within(1)).isEqualTo(1);
        assertThat(r.within(20)).isEqualTo(2);
        assertThat(r.summary()).containsExactly(
                "DCSM + CRF: 3 settings on 2 images of 'train' (mIoU % on this tuning split):",
                "  best       100.00  alpha 5, " + WIDE,
                "  runner-up   81.67  alpha 3, " + CrfSettings.paper() + "  (-18.33)",
                "  built-in    81.67  alpha 3, " + CrfSettings.paper() + "  (-18.33)",
                "  1 of 3 settings within 1 mIoU point of the best");
    }

    @Test
    void summaryOfASingleSettingSaysThereIsNoRunnerUpAndSkipsAnUnsearchedBuiltIn() {
        CrfTuning.MethodResult r = new CrfTuning.MethodResult(Method.SIMONYAN, "train", 1, List.of(score(1, WIDE, 6)),
                MethodPreset.SIMONYAN_DEFAULT, new BatchReport(1, List.of()));
        assertThat(r.runnerUp()).isEmpty();
        assertThat(r.builtInScore()).isEmpty();
        assertThat(r.summary()).containsExactly(
                "Simonyan + CRF: 1 settings on 1 images of 'train' (mIoU % on this tuning split):",
                "  best        81.67  alpha 1, " + WIDE,
                "  runner-up  none (one setting searched)",
                "  1 of 1 settings within 1 mIoU point of the best");
    }

    @Test
    void rankPutsTheBestFirstKeepsTiesInOrderAndNanLast() {
        SegmentationScores empty = ConfusionMatrix.of(CLASSES).scores(); // no pixel: mIoU NaN
        var nan = new CrfGridSearch.Score<>(new CrfTuning.Point(1, WIDE), empty);
        var tieA = score(3, WIDE, 6);
        var tieB = score(5, WIDE, 6);
        var top = score(8, WIDE, 5);
        assertThat(CrfTuning.rank(List.of(nan, tieA, tieB, top))).containsExactly(top, tieA, tieB, nan);
    }

    @Test
    void gridHoldsFiftyFourSettingsPerModeAndThePaperPoint() {
        assertThat(CrfTuning.grid(List.of(KernelNormalization.SYMMETRIC))).hasSize(54).contains(CrfSettings.paper());
        List<CrfSettings> meanOnly = CrfTuning.grid(List.of(KernelNormalization.MEAN));
        assertThat(meanOnly).hasSize(55).startsWith(CrfSettings.paper());
        assertThat(CrfTuning.grid(CrfTuning.DEFAULT_MODES)).hasSize(108)
                .extracting(CrfSettings::normalization).containsOnly(KernelNormalization.SYMMETRIC, KernelNormalization.MEAN);
    }

    @Test
    void gridAxesAreTheUsersAndTheBestOnAnEdgeIsNamed() {
        CrfTuning.Axes axes = new CrfTuning.Axes(List.of(5.0, 10.0), List.of(3.0, 10.0), List.of(20.0, 40.0), List.of(1.0));
        List<CrfSettings> grid = CrfTuning.grid(List.of(KernelNormalization.SYMMETRIC), axes);
        assertThat(grid).hasSize(1 + 2 * 2 * 2).startsWith(CrfSettings.paper())
                .contains(new CrfSettings(10, 3, 40, 1, 3, 10, KernelNormalization.SYMMETRIC));
        // w1 = 5 and theta_beta = 20 are the smallest searched, theta_alpha = 10 the largest; w2 has one value
        assertThat(axes.edgesOf(new CrfSettings(5, 10, 20, 1, 3, 10, KernelNormalization.SYMMETRIC))).containsExactly(
                "w1 = 5.0, the smallest searched", "theta_alpha = 10.0, the largest searched",
                "theta_beta = 20.0, the smallest searched");
        CrfTuning.Axes wide = new CrfTuning.Axes(List.of(1.0, 3.0, 5.0), List.of(10.0, 30.0, 60.0),
                List.of(5.0, 10.0, 20.0), List.of(1.0, 3.0));
        assertThat(wide.edgesOf(new CrfSettings(3, 30, 10, 1, 3, 10, KernelNormalization.SYMMETRIC)))
                .containsExactly("w2 = 1.0, the smallest searched");
        assertThat(CrfTuning.grid(List.of(KernelNormalization.SYMMETRIC), CrfTuning.Axes.DEFAULT))
                .isEqualTo(CrfTuning.grid(List.of(KernelNormalization.SYMMETRIC)));
        assertThat(assertThrows(IllegalArgumentException.class, () -> new CrfTuning.Axes(List.of(1.0), List.of(0.0),
                List.of(5.0), List.of(1.0)))).hasMessage("theta_alpha must be between 0.01 and 10000.0, found 0.0");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new CrfTuning.Axes(List.of(1e4), List.of(3.0),
                List.of(5.0), List.of(1.0)))).hasMessage("w1 must be between 0.0 and 1000.0, found 10000.0");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new CrfTuning.Axes(List.of(), List.of(3.0),
                List.of(5.0), List.of(1.0)))).hasMessage("The CRF grid's w1 axis needs at least one value");
    }

    @Test
    void badSearchesAreRejectedWithTheValue() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> CrfTuning.grid(List.of())))
                .hasMessage("At least one normalisation mode must be searched, found none");
        List<CrfSettings> grid = List.of(CrfSettings.paper());
        assertThat(assertThrows(IllegalArgumentException.class, () -> CrfTuning.tune(null, Method.DCSM_NOCRF, null, "train",
                List.of(), List.of(3.0), grid, null, null))).hasMessageContaining("dcsm-nocrf has no CRF to tune");
        assertThat(assertThrows(IllegalArgumentException.class, () -> CrfTuning.tune(null, Method.DCSM, null, "train",
                List.of(), List.of(), grid, null, null))).hasMessage("At least one alpha must be searched, found none");
        assertThat(assertThrows(IllegalArgumentException.class, () -> CrfTuning.tune(null, Method.DCSM, null, "train",
                List.of(), List.of(3.0, -1.0), grid, null, null))).hasMessage("alphas must be > 0 and finite, found -1.0");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new CrfTuning.Point(0, WIDE)))
                .hasMessage("alpha must be > 0 and finite, found 0.0");
    }

    @Test
    void presetsAreStoredPerMethodWithTheirSplit() throws IOException {
        assertThat(MethodPreset.loadOrDefault(dir, Method.SIMONYAN)).isEqualTo(MethodPreset.SIMONYAN_DEFAULT);
        assertThat(MethodPreset.loadOrDefault(dir, Method.DCSM)).isEqualTo(MethodPreset.DCSM_DEFAULT);
        new MethodPreset(8, WIDE, "train").save(dir, Method.SIMONYAN);
        new MethodPreset(1, CrfSettings.paper(), "train").save(dir, Method.DCSM);
        assertThat(dir.resolve("crf-simonyan.properties")).isRegularFile();
        assertThat(MethodPreset.loadOrDefault(dir, Method.SIMONYAN)).isEqualTo(new MethodPreset(8, WIDE, "train"));
        MethodPreset dcsm = MethodPreset.loadOrDefault(dir, Method.DCSM_NOCRF);
        assertThat(dcsm.alpha()).isEqualTo(1.0);
        assertThat(dcsm.tunedSplit()).contains("train");
        assertThat(CrfSettings.loadOrPaper(dir)).isEqualTo(CrfSettings.paper()); // the old reader still reads DCSM's file
    }

    @Test
    void aCrfFileWithoutAlphaKeepsTheBuiltInAlphaAndABadAlphaNamesTheFile() throws IOException {
        WIDE.save(dir); // crf.properties as written before alpha was tuned
        MethodPreset old = MethodPreset.loadOrDefault(dir, Method.DCSM);
        assertThat(old).isEqualTo(new MethodPreset(3, WIDE, null));
        Files.writeString(dir.resolve(MethodPreset.SIMONYAN_FILE), Files.readString(dir.resolve(CrfSettings.FILE))
                + "alpha=steep\n");
        IOException e = assertThrows(IOException.class, () -> MethodPreset.loadOrDefault(dir, Method.SIMONYAN));
        assertThat(e).hasMessageContaining("crf-simonyan.properties").hasMessageContaining(
                "entry 'alpha' is not a number: 'steep'");
        Files.writeString(dir.resolve(MethodPreset.SIMONYAN_FILE), Files.readString(dir.resolve(CrfSettings.FILE))
                .replace("normalization=MEAN", "normalization=softmax") + "alpha=0\n");
        assertThat(assertThrows(IOException.class, () -> MethodPreset.loadOrDefault(dir, Method.SIMONYAN)))
                .hasMessageContaining("entry 'normalization' is not a mode: 'softmax'");
    }
}
