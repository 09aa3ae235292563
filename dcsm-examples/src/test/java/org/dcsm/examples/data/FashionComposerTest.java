package org.dcsm.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionComposerTest {

    @TempDir
    Path dir;

    private FashionMnist tiny;

    /**
     * Ten 4×4 items, one per class: item l is fully bright (255) in rows 0..l%4 and dark (0) below, so a
     * scaled item's mask is a hand-checkable rectangle.
     */
    @BeforeEach
    void writeTinyDataset() throws IOException {
        byte[] pixels = new byte[10 * 16];
        byte[] labels = new byte[10];
        for (int l = 0; l < 10; l++) {
            labels[l] = (byte) l;
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    pixels[l * 16 + y * 4 + x] = (byte) (y <= l % 4 ? 255 : 0);
                }
            }
        }
        FashionMnistTest.writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), 0x803, new int[] {10, 4, 4}, pixels);
        FashionMnistTest.writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), 0x801, new int[] {10}, labels);
        tiny = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
    }

    @Test
    void singleFullItemGivesAnExactRectangle() {
        // class id 4 = label 3: the whole 4x4 item is bright, so its 20x20 scaled copy is a full square
        FashionComposer c = FashionComposer.builder(tiny).size(48).items(1, 1).itemSize(20, 20).seed(1).build();
        boolean seen = false;
        for (int i = 0; i < 60; i++) {
            Scene s = c.scene(i);
            int label = s.labels()[0];
            long area = s.mask().count(label);
            int rows = (label - 1) % 4 + 1; // bright rows of the source item
            // bilinear scaling of a 4-row step to 20 rows: rows whose sample is above 40 of 255
            long expectedRows = expectedBrightRows(rows, 20);
            assertThat(area).as(s.id()).isEqualTo(expectedRows * 20);
            seen |= label == 4;
            if (label == 4) {
                assertThat(area).isEqualTo(400);
            }
        }
        assertThat(seen).isTrue();
    }

    /** Rows of a {@code side}-row bilinear upscaling of a 4-row item bright in its first {@code rows} rows above 40. */
    private static long expectedBrightRows(int rows, int side) {
        long n = 0;
        for (int y = 0; y < side; y++) {
            double sy = Math.min(3.0, Math.max(0.0, (y + 0.5) * 4 / side - 0.5));
            int iy = (int) sy;
            double ay = sy - iy;
            double v = (1 - ay) * (iy < rows ? 255 : 0) + ay * (Math.min(iy + 1, 3) < rows ? 255 : 0);
            if (v > 40) {
                n++;
            }
        }
        return n;
    }

    @Test
    void photoStyleKeepsGreyLevelsOnBlack() {
        // class id 4 = label 3: a full bright 4x4 item scaled to 20x20 is a square of pure white (255 * 255/255)
        FashionComposer c = FashionComposer.builder(tiny).size(48).items(1, 1).itemSize(20, 20).seed(1)
                .style(FashionComposer.Style.PHOTO_ON_BLACK).build();
        for (int i = 0; i < 40; i++) {
            Scene s = c.scene(i);
            float[] rgb = s.rgb();
            int plane = 48 * 48;
            for (int p = 0; p < plane; p++) {
                if (s.mask().get(p % 48, p / 48) == 0) {
                    assertThat(new float[] {rgb[p], rgb[plane + p], rgb[2 * plane + p]}).as(s.id() + " pixel " + p)
                            .containsOnly(0f);
                } else {
                    // grey: R = G = B, above the mask threshold of 40
                    assertThat(rgb[plane + p]).isEqualTo(rgb[p]);
                    assertThat(rgb[2 * plane + p]).isEqualTo(rgb[p]);
                    assertThat(rgb[p]).isGreaterThan(40f);
                }
            }
            if (s.labels()[0] == 4) {
                assertThat(s.mask().count(4)).isEqualTo(400);
            }
        }
        assertThat(FashionComposer.builder(tiny).build().scene(0).rgb())
                .as("the default style is unchanged: tinted items on a background")
                .isEqualTo(FashionComposer.builder(tiny).style(FashionComposer.Style.TINTED_ON_TEXTURE).build().scene(0)
                        .rgb());
    }

    @Test
    void labelsMatchMasksAndAreDeterministic() {
        FashionComposer c = FashionComposer.builder(tiny).size(64).seed(5).build();
        for (int i = 0; i < 50; i++) {
            Scene s = c.scene(i);
            int[] present = Arrays.stream(s.mask().distinctIds()).filter(id -> id != 0).toArray();
            assertThat(s.labels()).as(s.id()).containsExactly(present);
            assertThat(s.labels().length).isBetween(1, 3);
        }
        assertThat(c.scene(9).rgb()).containsExactly(
                FashionComposer.builder(tiny).size(64).seed(5).build().scene(9).rgb());
        assertThat(c.stream(8, 2).toList().get(1).mask()).isEqualTo(c.scene(9).mask());
        assertThat(FashionComposer.classes().size()).isEqualTo(11);
        assertThat(FashionComposer.classes().name(10)).isEqualTo("boot");
    }

    @Test
    void classSubsetNumbersItsClassesInTheGivenOrder() {
        // dress (label 3: the full 4x4 item, a 20x20 square) gets id 1, tshirt (label 0: one bright row) id 2
        FashionComposer c = FashionComposer.builder(tiny).size(48).items(1, 1).itemSize(20, 20).seed(3)
                .classes(java.util.List.of("dress", "tshirt")).build();
        assertThat(c.classList().names()).containsExactly("background", "dress", "tshirt");
        boolean[] seen = new boolean[3];
        for (int i = 0; i < 40; i++) {
            Scene s = c.scene(i);
            assertThat(s.labels()).as(s.id()).hasSize(1);
            int label = s.labels()[0];
            assertThat(label).isBetween(1, 2);
            assertThat(s.mask().count(label)).as(s.id()).isEqualTo(label == 1 ? 400 : expectedBrightRows(1, 20) * 20);
            seen[label] = true;
        }
        assertThat(seen[1] && seen[2]).isTrue();
        assertThat(FashionComposer.builder(tiny).classes(FashionMnist.CLASS_NAMES).build().scene(3).rgb())
                .as("naming all ten classes in order is the default")
                .isEqualTo(FashionComposer.builder(tiny).build().scene(3).rgb());
    }

    @Test
    void rejectsBadSettings() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> FashionComposer.builder(tiny).size(16).build()))
                .hasMessage("size must be in 32..1024, found 16");
        assertThat(assertThrows(IllegalArgumentException.class, () -> FashionComposer.builder(tiny).items(2, 11).build()))
                .hasMessageContaining("found min 2, max 11");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> FashionComposer.builder(tiny).size(64).itemSize(4, 10).build()))
                .hasMessageContaining("found min 4, max 10");
        assertThat(assertThrows(IllegalArgumentException.class, () -> FashionComposer.builder(tiny).threshold(255).build()))
                .hasMessage("threshold must be in 0..254, found 255");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> FashionComposer.builder(tiny).itemRange(5, 10).build()))
                .hasMessageContaining("found first 5, count 10");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> FashionComposer.builder(tiny).itemRange(0, 5).build()))
                .hasMessageContaining("no image of class 'sandal'");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> FashionComposer.builder(tiny).classes(java.util.List.of("bag", "hat")).items(1, 1).build()))
                .hasMessage("Unknown Fashion-MNIST class 'hat'; known: tshirt, trouser, pullover, dress, coat, "
                        + "sandal, shirt, sneaker, bag, boot");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> FashionComposer.builder(tiny).classes(java.util.List.of("bag", "bag")).items(1, 1).build()))
                .hasMessage("Fashion-MNIST class 'bag' is named twice");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> FashionComposer.builder(tiny).classes(java.util.List.of("bag", "boot")).build()))
                .hasMessage("items must satisfy 1 <= min <= max <= 2 (the number of classes), found min 1, max 3");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> FashionComposer.builder(tiny).classes(java.util.List.of()).build()))
                .hasMessage("classes must name at least one Fashion-MNIST class, found none");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        FashionComposer custom = FashionComposer.builder(tiny).seed(4).size(40).items(1, 2).itemSize(12, 24)
                .threshold(60).style(FashionComposer.Style.PHOTO_ON_BLACK).classes(java.util.List.of("dress", "bag"))
                .itemRange(2, 8).build();
        FashionComposer copy = custom.toBuilder().build();
        assertThat(copy.size()).isEqualTo(40);
        assertThat(copy.classList()).isEqualTo(custom.classList());
        SyntheticScenesTest.assertSameScenes(copy::scene, custom::scene, 10);
        FashionComposer defaults = FashionComposer.builder(tiny).build();
        SyntheticScenesTest.assertSameScenes(defaults.toBuilder().build()::scene, defaults::scene, 5);
        // item sizes left to their default follow a new side, given ones stay
        SyntheticScenesTest.assertSameScenes(defaults.toBuilder().size(64).build()::scene,
                FashionComposer.builder(tiny).size(64).build()::scene, 5);
        SyntheticScenesTest.assertSameScenes(custom.toBuilder().size(64).build()::scene,
                FashionComposer.builder(tiny).seed(4).size(64).items(1, 2).itemSize(12, 24).threshold(60)
                        .style(FashionComposer.Style.PHOTO_ON_BLACK).classes(java.util.List.of("dress", "bag"))
                        .itemRange(2, 8).build()::scene, 5);
        assertThat(custom.toBuilder().seed(5).build().scene(0).rgb()).isNotEqualTo(custom.scene(0).rgb());
    }

    @Test
    void composesRealPhotographs() throws IOException {
        assumeTrue(FashionMnist.isAvailable(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST),
                "Fashion-MNIST is not installed under " + FashionMnist.DEFAULT_DIR + "; skipping");
        FashionMnist test = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST);
        FashionComposer c = FashionComposer.builder(test).size(96).seed(2).build();
        for (int i = 0; i < 30; i++) {
            Scene s = c.scene(i);
            int[] present = Arrays.stream(s.mask().distinctIds()).filter(id -> id != 0).toArray();
            assertThat(s.labels()).containsExactly(present);
            for (int label : s.labels()) {
                // a 38..57 px item keeps at least a few hundred pixels above the threshold
                assertThat(s.mask().count(label)).isGreaterThan(100);
            }
        }
    }
}
