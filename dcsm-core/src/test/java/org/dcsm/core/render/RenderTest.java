package org.dcsm.core.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.dcsm.core.LabelMap;
import org.dcsm.core.io.ImageFiles;
import org.dcsm.core.io.VocPalette;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RenderTest {

    @TempDir
    Path dir;

    @Test
    void colormapFormulas() {
        assertThat(Colormap.JET.rgb(0)).isEqualTo(0x000080);   // b = 1.5 - 1 = 0.5
        assertThat(Colormap.JET.rgb(0.5)).isEqualTo(0x80FF80); // r = b = 0.5, g = 1
        assertThat(Colormap.JET.rgb(1)).isEqualTo(0x800000);   // r = 0.5
        assertThat(Colormap.JET.rgb(0.25)).isEqualTo(0x0080FF); // g = 0.5, b = 1
        assertThat(Colormap.HOT.rgb(1.0 / 3)).isEqualTo(0xFF0000);
        assertThat(Colormap.HOT.rgb(2)).isEqualTo(0xFFFFFF);
        assertThat(Colormap.GREY.rgb(Double.NaN)).isEqualTo(0);
        assertThat(Colormap.GREY.lookupTable()[200]).isEqualTo(0xC8C8C8);
    }

    @Test
    void heatMapUsesTanhOfThreeXOverMax() throws IOException {
        HeatMap paper = HeatMap.paper();
        float[] v = paper.displayValues(new float[] {0, 1, 2, -1});
        assertThat(v[0]).isZero();
        assertThat(v[1]).isCloseTo((float) Math.tanh(1.5), within(1e-6f)); // 0.905148
        assertThat(v[2]).isCloseTo(0.9950548f, within(1e-6f));             // tanh(3)
        assertThat(v[3]).isZero();                                         // negatives clamped
        assertThat(HeatMap.builder().alpha(0).build().displayValues(new float[] {1, 4})).containsExactly(0.25f, 1f);
        assertThat(paper.displayValues(new float[] {-1, 0})).containsExactly(0f, 0f);

        INDArray map = Nd4j.create(new float[] {0, 1, 2, 0, 0, 0}, new long[] {1, 2, 3}, 'c');
        BufferedImage picture = paper.render(map);
        assertThat(picture.getWidth()).isEqualTo(3);
        assertThat(picture.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x000080);
        assertThat(picture.getRGB(2, 0) & 0xFFFFFF).isEqualTo(Colormap.JET.rgb(254 / 255.0)); // round(0.995*255)
        assertThat(picture.getRGB(1, 0) & 0xFFFFFF).isEqualTo(Colormap.JET.rgb(231 / 255.0)); // round(0.905*255)
        Path file = dir.resolve("heat.png");
        ImageFiles.writePng(picture, file);
        assertThat(ImageIO.read(file.toFile()).getRGB(2, 0)).isEqualTo(picture.getRGB(2, 0));
        assertThat(paper.renderChannel(Nd4j.create(new float[] {5, 5, 0, 9}, new long[] {2, 1, 2}, 'c'), 1)
                .getRGB(1, 0) & 0xFFFFFF).isEqualTo(Colormap.JET.rgb(254 / 255.0));
    }

    @Test
    void heatMapOverlayBlendsOverTheImage() {
        INDArray grey = Nd4j.valueArrayOf(new long[] {3, 1, 2}, 100f);
        INDArray map = Nd4j.create(new float[] {0, 0}, new long[] {1, 2}, 'c'); // all zero -> jet(0) = (0,0,128)
        BufferedImage out = HeatMap.paper().overlay(grey, map, 0.25);
        assertThat(out.getRGB(1, 0) & 0xFFFFFF).isEqualTo((75 << 16) | (75 << 8) | 107); // 0.75*100 + 0.25*128 = 107
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> HeatMap.paper().overlay(grey, Nd4j.zeros(1, 3), 0.5)))
                .hasMessageContaining("The map is 3x1 but the image is 2x1");
        assertThat(assertThrows(IllegalArgumentException.class, () -> HeatMap.paper().overlay(grey, map, -0.1)))
                .hasMessageContaining("opacity must be in [0, 1], found -0.1");
    }

    @Test
    void overlayBlendsVocColours() {
        INDArray grey = Nd4j.valueArrayOf(new long[] {3, 1, 4}, 100f);
        LabelMap labels = LabelMap.of(4, 1, new int[] {1, 0, 255, 15});
        BufferedImage out = LabelOverlay.defaults().overlay(grey, labels);
        assertThat(out.getRGB(0, 0) & 0xFFFFFF).isEqualTo((114 << 16) | (50 << 8) | 50); // (100+128)/2, 100/2
        assertThat(out.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x646464);                      // background untouched
        assertThat(out.getRGB(2, 0) & 0xFFFFFF).isEqualTo((162 << 16) | (162 << 8) | 146); // void (224,224,192)
        assertThat(out.getRGB(3, 0) & 0xFFFFFF).isEqualTo((146 << 16) | (114 << 8) | 114); // person (192,128,128)
        BufferedImage all = LabelOverlay.builder().opacity(1).includeBackground(true).drawVoid(false).build()
                .overlay(Images2.grey(4, 1, 100), labels);
        assertThat(all.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0);
        assertThat(all.getRGB(2, 0) & 0xFFFFFF).isEqualTo(0x646464);
        assertThat(all.getRGB(3, 0) & 0xFFFFFF).isEqualTo(VocPalette.rgb(15));
        assertThat(LabelOverlay.labelPicture(labels).getRGB(3, 0) & 0xFFFFFF).isEqualTo(VocPalette.rgb(15));
    }

    /** Small image helpers. */
    static final class Images2 {
        static BufferedImage grey(int w, int h, int v) {
            BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            int[] s = new int[w * h];
            java.util.Arrays.fill(s, v);
            b.getRaster().setSamples(0, 0, w, h, 0, s);
            return b;
        }

        static BufferedImage filled(int w, int h, int rgb) {
            BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    b.setRGB(x, y, rgb);
                }
            }
            return b;
        }
    }

    @Test
    void stripPlacesPicturesSideBySide() {
        BufferedImage red = Images2.filled(10, 20, 0xFF0000);
        BufferedImage blue = Images2.filled(5, 10, 0x0000FF);
        BufferedImage strip = Strip.builder().add(red).add(blue).height(20).build().render();
        // gap 4 | red 10 | gap 4 | blue scaled to 10x20 | gap 4
        assertThat(strip.getWidth()).isEqualTo(32);
        assertThat(strip.getHeight()).isEqualTo(28);
        assertThat(strip.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(strip.getRGB(8, 10) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(strip.getRGB(23, 10) & 0xFFFFFF).isEqualTo(0x0000FF);
        assertThat(strip.getRGB(16, 10) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    @Test
    void stripCaptionsAreDrawnBelow() {
        Assumptions.assumeTrue(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames().length > 0,
                "no fonts on this JVM: captions are left out");
        BufferedImage red = Images2.filled(40, 10, 0xFF0000);
        BufferedImage strip = Strip.builder().add(red, "image").add(red, "").build().render();
        assertThat(strip.getHeight()).isGreaterThan(10 + 8);
        int dark = 0;
        for (int y = 14; y < strip.getHeight(); y++) {
            for (int x = 0; x < 48; x++) {
                if ((strip.getRGB(x, y) & 0xFF) < 128) {
                    dark++;
                }
            }
        }
        assertThat(dark).isPositive();
    }

    @Test
    void rejectsBadInput() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> HeatMap.builder().alpha(-1).build()))
                .hasMessageContaining("alpha must be >= 0 and finite, found -1.0");
        assertThat(assertThrows(IllegalArgumentException.class, () -> HeatMap.paper().displayValues(new float[] {1, Float.NaN})))
                .hasMessageContaining("Non-finite value NaN in the class map at index [1]");
        assertThat(assertThrows(IllegalArgumentException.class, () -> HeatMap.paper().render(Nd4j.zeros(2, 2, 2))))
                .hasMessageContaining("H×W or 1×H×W").hasMessageContaining("[2, 2, 2]");
        assertThat(assertThrows(IllegalArgumentException.class, () -> HeatMap.paper().renderChannel(Nd4j.zeros(2, 2, 2), 2)))
                .hasMessageContaining("Channel 2 is not in");
        assertThat(assertThrows(IllegalArgumentException.class, () -> LabelOverlay.builder().opacity(1.5).build()))
                .hasMessageContaining("opacity must be in [0, 1], found 1.5");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> LabelOverlay.defaults().overlay(Images2.grey(3, 2, 0), LabelMap.filled(2, 2, 0))))
                .hasMessageContaining("Labels are 2x2 but the image is 3x2");
        assertThat(assertThrows(IllegalArgumentException.class, () -> Strip.builder().build()))
                .hasMessageContaining("at least one picture");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> Strip.builder().add(Images2.grey(1, 1, 0)).gap(-2).build()))
                .hasMessageContaining("gap must be >= 0, found -2");
    }
}
