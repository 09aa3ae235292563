package org.dcsm.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

import org.dcsm.core.LabelMap;
import org.junit.jupiter.api.Test;

class SyntheticScenesTest {

    private final SyntheticScenes scenes = SyntheticScenes.builder().seed(3).size(64).build();

    @Test
    void isDeterministicPerIndexAndSeed() {
        Scene a = scenes.scene(17);
        Scene b = SyntheticScenes.builder().seed(3).size(64).build().scene(17);
        assertThat(a.rgb()).containsExactly(b.rgb());
        assertThat(a.mask()).isEqualTo(b.mask());
        assertThat(a.labels()).containsExactly(b.labels());
        // independent of generation order
        assertThat(scenes.list(15, 3).get(2).mask()).isEqualTo(a.mask());
        Scene other = SyntheticScenes.builder().seed(4).size(64).build().scene(17);
        assertThat(other.rgb()).isNotEqualTo(a.rgb());
    }

    @Test
    void labelsAreExactlyTheForegroundIdsOfTheMask() {
        int[] objectCounts = new int[4];
        for (Scene s : scenes.list(0, 200)) {
            int[] present = Arrays.stream(s.mask().distinctIds()).filter(id -> id != 0).toArray();
            assertThat(s.labels()).as(s.id()).containsExactly(present);
            assertThat(s.labels().length).isBetween(1, 3);
            assertThat(s.mask().count(0)).as("background of " + s.id()).isPositive();
            objectCounts[s.labels().length]++;
        }
        // every count of objects occurs
        assertThat(objectCounts[1]).isPositive();
        assertThat(objectCounts[2]).isPositive();
        assertThat(objectCounts[3]).isPositive();
    }

    @Test
    void maskedPixelsHaveTheirClassColour() {
        // disc red, square blue, triangle green, ring yellow (R and G high, B low), cross magenta
        double[][] sum = new double[6][3];
        long[] n = new long[6];
        for (Scene s : scenes.list(0, 60)) {
            float[] rgb = s.rgb();
            int[] ids = s.mask().toArray();
            int plane = ids.length;
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    sum[ids[p]][c] += rgb[c * plane + p];
                }
                n[ids[p]]++;
            }
        }
        double[][] mean = new double[6][3];
        for (int k = 0; k < 6; k++) {
            assertThat(n[k]).as("pixels of class " + k).isPositive();
            for (int c = 0; c < 3; c++) {
                mean[k][c] = sum[k][c] / n[k];
            }
        }
        assertThat(mean[1][0]).isGreaterThan(mean[1][1] + 80).isGreaterThan(mean[1][2] + 80);
        assertThat(mean[2][2]).isGreaterThan(mean[2][0] + 80).isGreaterThan(mean[2][1] + 60);
        assertThat(mean[3][1]).isGreaterThan(mean[3][0] + 80).isGreaterThan(mean[3][2] + 80);
        assertThat(Math.min(mean[4][0], mean[4][1])).isGreaterThan(mean[4][2] + 100);
        assertThat(Math.min(mean[5][0], mean[5][2])).isGreaterThan(mean[5][1] + 80);
        // background is muted: its channels stay within 35 of each other on average
        assertThat(Math.abs(mean[0][0] - mean[0][1])).isLessThan(35);
        assertThat(Math.abs(mean[0][1] - mean[0][2])).isLessThan(35);
    }

    @Test
    void discIsRoundAndRingHasAHole() {
        SyntheticScenes one = SyntheticScenes.builder().seed(11).size(64).classCount(5).objects(1, 1).build();
        boolean sawDisc = false;
        boolean sawRing = false;
        for (Scene s : one.list(0, 40)) {
            LabelMap m = s.mask();
            int label = s.labels()[0];
            long area = m.count(label);
            int[] box = boundingBox(m, label);
            double w = box[2] - box[0] + 1;
            double h = box[3] - box[1] + 1;
            if (label == 1) {
                sawDisc = true;
                // a digital disc fills pi/4 of its bounding box
                assertThat(area / (w * h)).isCloseTo(Math.PI / 4, org.assertj.core.data.Offset.offset(0.06));
                assertThat(w / h).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.1));
            } else if (label == 4) {
                sawRing = true;
                // annulus with inner radius 0.5: pi (1 - 0.25) / 4 of the box, centre pixel is background
                assertThat(area / (w * h)).isCloseTo(Math.PI * 0.75 / 4, org.assertj.core.data.Offset.offset(0.06));
                assertThat(m.get((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)).isZero();
            }
        }
        assertThat(sawDisc).isTrue();
        assertThat(sawRing).isTrue();
    }

    private static int[] boundingBox(LabelMap m, int label) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                if (m.get(x, y) == label) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return new int[] {x0, y0, x1, y1};
    }

    @Test
    void classListAndMultiHot() {
        assertThat(scenes.classes().names()).containsExactly("background", "disc", "square", "triangle", "ring", "cross");
        assertThat(SyntheticScenes.builder().classCount(3).objects(1, 2).build().classes().size()).isEqualTo(4);
        Scene s = new Scene("x", new float[3 * 4], LabelMap.of(2, 2, new int[] {0, 2, 2, 5}), new int[] {5, 2});
        assertThat(s.labels()).containsExactly(2, 5);
        assertThat(s.multiHot(5)).containsExactly(0f, 1f, 0f, 0f, 1f);
        assertThat(s.image().shape()).containsExactly(3, 2, 2);
    }

    @Test
    void rejectsBadSettings() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> SyntheticScenes.builder().size(10).build()))
                .hasMessage("size must be in 24..512, found 10");
        assertThat(assertThrows(IllegalArgumentException.class, () -> SyntheticScenes.builder().classCount(6).build()))
                .hasMessage("classCount must be in 1..5, found 6");
        assertThat(assertThrows(IllegalArgumentException.class, () -> SyntheticScenes.builder().objects(0, 2).build()))
                .hasMessageContaining("found min 0, max 2");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> SyntheticScenes.builder().classCount(2).objects(1, 3).build()))
                .hasMessageContaining("found max 3 with classCount 2");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> SyntheticScenes.builder().size(64).objectSize(20, 80).build()))
                .hasMessageContaining("found min 20, max 80");
        assertThat(assertThrows(IllegalArgumentException.class, () -> scenes.scene(-1)))
                .hasMessage("Scene index must be >= 0, found -1");
        LabelMap m = LabelMap.filled(2, 2, 0);
        assertThat(assertThrows(IllegalArgumentException.class, () -> new Scene("a b", new float[12], m, new int[0])))
                .hasMessageContaining("file-name-safe");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new Scene("a", new float[11], m, new int[0])))
                .hasMessageContaining("found 11");
        float[] bad = new float[12];
        bad[3] = Float.NaN;
        assertThat(assertThrows(IllegalArgumentException.class, () -> new Scene("a", bad, m, new int[0])))
                .hasMessageContaining("NaN at index 3");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new Scene("a", new float[12], m, new int[] {0})))
                .hasMessageContaining("found 0");
        Scene s = new Scene("a", new float[12], m, new int[] {4});
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.multiHot(3)))
                .hasMessageContaining("label 4 but only 3");
        assertThat(List.of(s.toString())).allMatch(t -> t.contains("[4]"));
    }

    @Test
    void toBuilderKeepsEverySetting() {
        SyntheticScenes custom = SyntheticScenes.builder().seed(9).size(48).classCount(4).objects(2, 3)
                .objectSize(10, 20).build();
        SyntheticScenes copy = custom.toBuilder().build();
        assertThat(copy.seed()).isEqualTo(9);
        assertThat(copy.size()).isEqualTo(48);
        assertThat(copy.classes()).isEqualTo(custom.classes());
        assertSameScenes(copy::scene, custom::scene, 10);
        assertSameScenes(scenes.toBuilder().build()::scene, scenes::scene, 10);
        // sizes left to their default follow a new side, given ones stay
        assertSameScenes(scenes.toBuilder().size(96).build()::scene,
                SyntheticScenes.builder().seed(3).size(96).build()::scene, 5);
        assertSameScenes(custom.toBuilder().size(96).build()::scene,
                SyntheticScenes.builder().seed(9).size(96).classCount(4).objects(2, 3).objectSize(10, 20).build()::scene,
                5);
        assertThat(custom.toBuilder().size(96).build().scene(0).mask())
                .isNotEqualTo(custom.toBuilder().size(96).objectSize(30, 40).build().scene(0).mask());
    }

    /** Scenes {@code 0..n-1} of two generators are equal: ids, pixels, masks and labels. */
    static void assertSameScenes(IntFunction<Scene> actual, IntFunction<Scene> expected, int n) {
        for (int i = 0; i < n; i++) {
            Scene a = actual.apply(i);
            Scene e = expected.apply(i);
            assertThat(a.id()).isEqualTo(e.id());
            assertThat(a.rgb()).as(e.id()).containsExactly(e.rgb());
            assertThat(a.mask()).as(e.id()).isEqualTo(e.mask());
            assertThat(a.labels()).as(e.id()).containsExactly(e.labels());
        }
    }
}
