package org.dcsm.examples.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.core.eval.SegmentationScores;
import org.dcsm.core.pipeline.BatchReport;
import org.dcsm.core.pipeline.CrfGridSearch;
import org.dcsm.crf.KernelNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
