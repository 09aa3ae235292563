package org.dcsm.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.dcsm.core.eval.SegmentationScores.MeanRule;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    static final ClassList CLASSES = ClassList.of("background", "a", "b", "c, \"quoted\"");

    // 3x3; the void pixel (2, 0 of row 2) is ignored whatever is predicted there
    static final LabelMap GT = LabelMap.of(3, 3, new int[] {0, 0, 1, 1, 1, 2, 255, 2, 0});
    static final LabelMap PRED = LabelMap.of(3, 3, new int[] {0, 1, 1, 1, 0, 2, 1, 2, 0});

    @Test
    void handComputedScores() {
        ConfusionMatrix m = ConfusionMatrix.of(CLASSES).add(GT, PRED);
        // n(0,0)=2 n(0,1)=1 n(1,0)=1 n(1,1)=2 n(2,2)=2
        assertThat(m.toArray()).isDeepEqualTo(new long[][] {{2, 1, 0, 0}, {1, 2, 0, 0}, {0, 0, 2, 0}, {0, 0, 0, 0}});
        assertThat(m.pixels()).isEqualTo(8);
        assertThat(m.voidPixels()).isEqualTo(1);
        SegmentationScores s = m.scores();
        assertThat(s.iou(0)).isEqualTo(0.5);   // 2 / (3 + 3 - 2)
        assertThat(s.iou(1)).isEqualTo(0.5);   // 2 / (3 + 3 - 2)
        assertThat(s.iou(2)).isEqualTo(1.0);   // 2 / (2 + 2 - 2)
        assertThat(s.iou(3)).isNaN();          // in neither
        assertThat(s.meanIou()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(s.meanIouClasses()).isEqualTo(3);
        assertThat(s.pixelAccuracy()).isEqualTo(0.75); // 6 / 8
        assertThat(s.meanClassAccuracy()).isCloseTo(7.0 / 9, within(1e-12)); // (2/3 + 2/3 + 1) / 3
        assertThat(m.scores(MeanRule.ALL_CLASSES).meanIou()).isNaN(); // VOC devkit: 0/0 for class 3
    }

    @Test
    void classOnlyPredictedCountsWithIouZero() {
        ConfusionMatrix m = ConfusionMatrix.of(CLASSES).add(GT, PRED)
                .add(LabelMap.filled(2, 1, 0), LabelMap.of(2, 1, new int[] {3, 0}));
        SegmentationScores s = m.scores();
        assertThat(s.iou(0)).isEqualTo(0.5); // 3 / (5 + 4 - 3)
        assertThat(s.iou(3)).isEqualTo(0.0); // 0 / (0 + 1 - 0)
        assertThat(s.meanIou()).isEqualTo(0.5); // (0.5 + 0.5 + 1 + 0) / 4
        assertThat(m.scores(MeanRule.ALL_CLASSES).meanIou()).isEqualTo(0.5);
        assertThat(s.pixelAccuracy()).isEqualTo(0.7); // 7 / 10
        assertThat(s.accuracy(3)).isNaN();
        assertThat(s.images()).isEqualTo(2);
    }

    @Test
    void mergedPartsEqualOneSequentialPass() {
        Random random = new Random(42);
        ConfusionMatrix all = ConfusionMatrix.of(CLASSES);
        ConfusionMatrix part1 = ConfusionMatrix.of(CLASSES);
        ConfusionMatrix part2 = ConfusionMatrix.of(CLASSES);
        for (int image = 0; image < 10; image++) {
            int[] gt = new int[50];
            int[] pred = new int[50];
            for (int i = 0; i < gt.length; i++) {
                gt[i] = random.nextInt(10) == 0 ? LabelMap.VOID : random.nextInt(4);
                pred[i] = random.nextBoolean() ? gt[i] % 4 : random.nextInt(4);
            }
            LabelMap g = LabelMap.of(10, 5, gt);
            LabelMap p = LabelMap.of(10, 5, pred);
            all.add(g, p);
            (image % 2 == 0 ? part1 : part2).add(g, p);
        }
        ConfusionMatrix merged = part2.copy().merge(part1);
        assertThat(merged.toArray()).isDeepEqualTo(all.toArray());
        assertThat(merged.voidPixels()).isEqualTo(all.voidPixels());
        assertThat(merged.images()).isEqualTo(10);
        assertThat(merged.scores().meanIou()).isEqualTo(all.scores().meanIou());
        assertThat(part2.images()).isEqualTo(5); // copy() left part2 alone
    }

    @Test
    void tableCsvAndJson() {
        SegmentationScores s = ConfusionMatrix.of(CLASSES).add(GT, PRED).scores();
        String table = s.table();
        assertThat(table).contains("class          IoU %    acc %       gt pixels     pred pixels\n")
                .contains("\nb             100.00   100.00               2               2\n")
                .contains("\nc, \"quoted\"        -        -               0               0\n")
                .contains("\nmIoU           66.67  (classes present, 3 classes)\n")
                .contains("pixel accuracy 75.00 %, mean class accuracy 77.78 %")
                .contains("1 images, 8 pixels counted, 1 void pixels ignored");
        assertThat(s.toCsv()).startsWith("id,class,iou,accuracy,gt_pixels,pred_pixels,true_positives\n0,background,0.5,")
                .contains("\n3,\"c, \"\"quoted\"\"\",,,0,0,0\n")
                .contains("\n,pixel_accuracy,0.75,,,,\n");
        assertThat(s.toJson()).contains("\"meanIouRule\": \"PRESENT_CLASSES\"")
                .contains("\"pixelAccuracy\": 0.75,")
                .contains("{\"id\": 3, \"name\": \"c, \\\"quoted\\\"\", \"iou\": null, \"accuracy\": null,")
                .contains("\"confusion\": [\n    [2, 1, 0, 0],\n    [1, 2, 0, 0],");
        assertThat(SegmentationScores.jsonString("a\\b\n\u0001")).isEqualTo("\"a\\\\b\\n\\u0001\"");
    }

    @Test
    void rejectsBadInput() {
        ConfusionMatrix m = ConfusionMatrix.of(CLASSES);
        assertThat(assertThrows(IllegalArgumentException.class, () -> m.add(GT, LabelMap.filled(2, 3, 0))))
                .hasMessageContaining("Ground truth is 3x3 but the prediction is 2x3");
        assertThat(assertThrows(IllegalArgumentException.class, () -> m.add(GT, LabelMap.filled(3, 3, 4))))
                .hasMessageContaining("Predicted class id 4 at pixel (0, 0) is outside 0..3");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> m.add(LabelMap.of(2, 1, new int[] {0, 9}), LabelMap.filled(2, 1, 0))))
                .hasMessageContaining("Ground-truth class id 9 at pixel (1, 0)");
        assertThat(m.pixels()).isZero(); // unchanged by the failed adds
        assertThat(assertThrows(IllegalArgumentException.class, () -> m.merge(ConfusionMatrix.of(ClassList.voc()))))
                .hasMessageContaining("different classes");
        assertThat(m.scores().meanIou()).isNaN();
    }

    @Test
    void ofCountsRebuildsAMatrixAndRejectsBadShapesOrNegativeCounts() {
        ClassList classes = ClassList.of("background", "cat");
        ConfusionMatrix m = ConfusionMatrix.of(classes).add(new int[] {0, 1, 1, 255}, new int[] {0, 1, 0, 0}, 2);
        ConfusionMatrix copy = ConfusionMatrix.ofCounts(classes, m.toArray(), m.voidPixels(), m.images());
        assertThat(copy.toArray()).isDeepEqualTo(m.toArray());
        assertThat(copy.voidPixels()).isEqualTo(1);
        assertThat(copy.images()).isEqualTo(1);
        assertThat(copy.scores().meanIou()).isEqualTo(m.scores().meanIou());
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.ofCounts(classes, new long[3][3], 0, 0))).hasMessageStartingWith("counts has 3 rows, expected 2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.ofCounts(classes, new long[][] {{1, -2}, {0, 0}}, 0, 0));
        assertThat(e).hasMessage("count(0, 1) must be >= 0, found -2");
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.ofCounts(classes, new long[2][2], -1, 0));
        assertThat(e).hasMessageContaining("voidPixels and images must be >= 0, found -1 and 0");
    }
}
