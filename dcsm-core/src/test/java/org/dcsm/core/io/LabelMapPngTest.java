package org.dcsm.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;

import org.dcsm.core.LabelMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelMapPngTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryIdAndWritesAnIndexedVocPng() throws IOException {
        Random random = new Random(7);
        int w = 13;
        int h = 9;
        int[] ids = new int[w * h];
        for (int i = 0; i < ids.length; i++) {
            int r = random.nextInt(22);
            ids[i] = r == 21 ? LabelMap.VOID : r;
        }
        ids[0] = 1;
        ids[1] = 15;
        ids[2] = LabelMap.VOID;
        LabelMap labels = LabelMap.of(w, h, ids);
        Path file = dir.resolve("sub/mask.png");
        LabelMapPng.write(labels, file);

        assertThat(LabelMapPng.read(file)).isEqualTo(labels);
        BufferedImage raw = ImageIO.read(file.toFile());
        assertThat(raw.getColorModel()).isInstanceOf(IndexColorModel.class);
        assertThat(raw.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x800000);
        assertThat(raw.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xC08080);
        assertThat(raw.getRGB(2, 0) & 0xFFFFFF).isEqualTo(0xE0E0C0);
    }

    @Test
    void readsGreyAndRgbMasks() throws IOException {
        BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 3, 2, 0, new int[] {0, 1, 2, 255, 20, 0});
        Path g = dir.resolve("grey.png");
        ImageFiles.writePng(grey, g);
        assertThat(LabelMapPng.read(g).toArray()).containsExactly(0, 1, 2, 255, 20, 0);

        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, VocPalette.rgb(15));
        rgb.setRGB(1, 0, VocPalette.rgb(255));
        Path c = dir.resolve("rgb.png");
        ImageFiles.writePng(rgb, c);
        assertThat(LabelMapPng.read(c).toArray()).containsExactly(15, 255);
    }

    @Test
    void rejectsColourOutsidePaletteAndIdsAbove255() throws IOException {
        BufferedImage rgb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(1, 1, 0x123456);
        Path c = dir.resolve("bad.png");
        ImageFiles.writePng(rgb, c);
        assertThat(assertThrows(IOException.class, () -> LabelMapPng.read(c)))
                .hasMessageContaining("bad.png").hasMessageContaining("(18,52,86)")
                .hasMessageContaining("pixel (1, 1)").hasMessageContaining("not in the VOC palette");
        LabelMap big = LabelMap.of(2, 1, new int[] {3, 300});
        assertThat(assertThrows(IllegalArgumentException.class, () -> LabelMapPng.write(big, dir.resolve("x.png"))))
                .hasMessageContaining("Class id 300 at pixel (1, 0)");
    }

    @Test
    void readsTheSameMaskFromBytesAndNamesTheSourceOfABadOne() throws IOException {
        LabelMap labels = LabelMap.of(3, 2, new int[] {0, 1, 2, 255, 20, 0});
        Path file = dir.resolve("bytes.png");
        LabelMapPng.write(labels, file);
        byte[] data = java.nio.file.Files.readAllBytes(file);
        assertThat(LabelMapPng.read(data, "hdfs://n/masks/bytes.png", ImageLoader.defaults())).isEqualTo(labels);
        IOException e = assertThrows(IOException.class,
                () -> LabelMapPng.read("not a png".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        "hdfs://n/masks/bad.png", ImageLoader.defaults()));
        assertThat(e).hasMessageContaining("hdfs://n/masks/bad.png");
    }
}
