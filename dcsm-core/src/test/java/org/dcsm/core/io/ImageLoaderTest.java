package org.dcsm.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.dcsm.core.io.ImageLoader.AlphaPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageLoaderTest {

    @TempDir
    Path dir;

    private final ImageLoader loader = ImageLoader.defaults();

    private static float at(INDArray chw, int c, int y, int x) {
        return chw.getFloat(c, y, x);
    }

    @Test
    void readsRgbPngExactly() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x0A141E);
        img.setRGB(2, 1, 0xFF8001);
        Path f = dir.resolve("rgb.png");
        ImageFiles.writePng(img, f);
        INDArray chw = loader.read(f);
        assertThat(chw.shape()).containsExactly(3, 2, 3);
        assertThat(new float[] {at(chw, 0, 0, 0), at(chw, 1, 0, 0), at(chw, 2, 0, 0)}).containsExactly(10, 20, 30);
        assertThat(new float[] {at(chw, 0, 1, 2), at(chw, 1, 1, 2), at(chw, 2, 1, 2)}).containsExactly(255, 128, 1);
        assertThat(loader.readSize(f)).isEqualTo(new ImageSize(3, 2));
    }

    @Test
    void readsGreyAndPaletteWithoutGammaChange() throws IOException {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {50, 200});
        Path g = dir.resolve("grey.png");
        ImageFiles.writePng(grey, g);
        INDArray chw = loader.read(g);
        // the stored grey value on all three channels (Java's getRGB would change 50 to 124 via linear grey)
        for (int c = 0; c < 3; c++) {
            assertThat(at(chw, c, 0, 0)).isEqualTo(50f);
            assertThat(at(chw, c, 0, 1)).isEqualTo(200f);
        }

        IndexColorModel palette = new IndexColorModel(2, 2, new byte[] {5, (byte) 250}, new byte[] {6, 7},
                new byte[] {(byte) 128, 9});
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
        indexed.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {1, 0});
        Path p = dir.resolve("palette.png");
        ImageFiles.writePng(indexed, p);
        INDArray pal = loader.read(p);
        assertThat(new float[] {at(pal, 0, 0, 0), at(pal, 1, 0, 0), at(pal, 2, 0, 0)}).containsExactly(250, 7, 9);
        assertThat(new float[] {at(pal, 0, 0, 1), at(pal, 1, 0, 1), at(pal, 2, 0, 1)}).containsExactly(5, 6, 128);
    }

    @Test
    void scalesSixteenBitTo255() throws IOException {
        BufferedImage rgb16 = TestImageFiles.rgb16(new int[][][] {{{0, 65535, 25700}, {257, 514, 65535}}});
        Path f = dir.resolve("rgb16.png");
        ImageFiles.writePng(rgb16, f);
        INDArray chw = loader.read(f);
        assertThat(at(chw, 0, 0, 0)).isEqualTo(0f);
        assertThat(at(chw, 1, 0, 0)).isCloseTo(255f, within(1e-4f));
        assertThat(at(chw, 2, 0, 0)).isCloseTo(100f, within(1e-4f)); // 25700 / 257
        assertThat(at(chw, 0, 0, 1)).isCloseTo(1f, within(1e-4f));
        assertThat(at(chw, 1, 0, 1)).isCloseTo(2f, within(1e-4f));

        BufferedImage grey16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(0, 0, 0, 257 * 77);
        Path g = dir.resolve("grey16.png");
        ImageFiles.writePng(grey16, g);
        INDArray grey = loader.read(g);
        for (int c = 0; c < 3; c++) {
            assertThat(at(grey, c, 0, 0)).isCloseTo(77f, within(1e-4f));
        }
    }

    @Test
    void alphaIsCompositedOnBlackOrDropped() throws IOException {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00C8C8C8); // fully transparent grey 200
        argb.setRGB(1, 0, 0x80C86400); // alpha 128: (200, 100, 0)
        Path f = dir.resolve("alpha.png");
        ImageFiles.writePng(argb, f);
        INDArray black = loader.read(f);
        assertThat(at(black, 0, 0, 0)).isEqualTo(0f);
        assertThat(at(black, 0, 0, 1)).isCloseTo(200f * 128 / 255, within(1e-3f));
        assertThat(at(black, 1, 0, 1)).isCloseTo(100f * 128 / 255, within(1e-3f));
        INDArray dropped = ImageLoader.builder().alphaPolicy(AlphaPolicy.DROP).build().read(f);
        assertThat(at(dropped, 0, 0, 0)).isEqualTo(200f);
        assertThat(at(dropped, 0, 0, 1)).isEqualTo(200f);
        assertThat(at(dropped, 1, 0, 1)).isEqualTo(100f);
    }

    @Test
    void alphaOfGreyAndPaletteImages() throws IOException {
        // grey + alpha: a ComponentColorModel with two bands
        java.awt.image.ComponentColorModel ga = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
        java.awt.image.WritableRaster raster = ga.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[] {200, 51});  // alpha 51/255 = 0.2
        raster.setPixel(1, 0, new int[] {80, 255});
        Path g = dir.resolve("grey-alpha.png");
        ImageFiles.writePng(new BufferedImage(ga, raster, false, null), g);
        INDArray grey = loader.read(g);
        assertThat(at(grey, 1, 0, 0)).isCloseTo(40f, within(1e-3f)); // 200 * 0.2
        assertThat(at(grey, 2, 0, 1)).isEqualTo(80f);

        // palette with a transparent entry (PNG tRNS)
        IndexColorModel trns = new IndexColorModel(8, 2, new byte[] {(byte) 250, 10}, new byte[] {(byte) 250, 20},
                new byte[] {(byte) 250, 30}, new byte[] {0, (byte) 255});
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, trns);
        indexed.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {0, 1});
        Path p = dir.resolve("trns.png");
        ImageFiles.writePng(indexed, p);
        INDArray pal = loader.read(p);
        assertThat(at(pal, 0, 0, 0)).isZero();          // transparent -> black
        assertThat(at(pal, 2, 0, 1)).isEqualTo(30f);
        INDArray kept = ImageLoader.builder().alphaPolicy(AlphaPolicy.DROP).build().read(p);
        assertThat(at(kept, 0, 0, 0)).isEqualTo(250f);
    }

    @Test
    void readsCmykAndGreyJpeg() throws IOException {
        int[][][] cmyk = new int[8][16][];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                cmyk[y][x] = x < 8 ? new int[] {255, 0, 0, 0} : new int[] {0, 0, 0, 128};
            }
        }
        Path f = dir.resolve("cmyk.jpg");
        TestImageFiles.writeCmykJpeg(f, cmyk);
        assertThat(TestImageFiles.jpegComponents(f)).isEqualTo(4);
        // strict mode turns TwelveMonkeys' "no embedded ICC profile" warning into a failure
        assertThat(assertThrows(IOException.class, () -> ImageLoader.builder().strict(true).build().read(f)))
                .hasMessageContaining("cmyk.jpg").hasMessageContaining("decoder warned: No embedded ICC");
        INDArray chw = loader.read(f);
        assertThat(chw.shape()).containsExactly(3, 8, 16);
        // full cyan -> no red, full green and blue; 50 % black -> mid grey (exact values depend on JPEG loss)
        assertThat(at(chw, 0, 4, 3)).isLessThan(20f);
        assertThat(at(chw, 1, 4, 3)).isGreaterThan(235f);
        assertThat(at(chw, 2, 4, 3)).isGreaterThan(235f);
        for (int c = 0; c < 3; c++) {
            assertThat(at(chw, c, 4, 12)).isBetween(110f, 145f);
        }

        BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 16, 16, 0, filled(256, 90));
        Path g = dir.resolve("grey.jpg");
        ImageFiles.writeJpeg(grey, g, 1f);
        assertThat(TestImageFiles.jpegComponents(g)).isEqualTo(1);
        INDArray gchw = loader.read(g);
        for (int c = 0; c < 3; c++) {
            assertThat(at(gchw, c, 7, 7)).isCloseTo(90f, within(2f));
        }
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void refusesOversizedHeaderBeforeDecoding() throws IOException {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        Path f = dir.resolve("huge.png");
        ImageFiles.writePng(img, f);
        TestImageFiles.patchPngSize(f, 100_000, 100_000);
        assertThat(loader.readSize(f)).isEqualTo(new ImageSize(100_000, 100_000));
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class, () -> loader.read(f));
        assertThat(e).hasMessageContaining("huge.png").hasMessageContaining("100000x100000")
                .hasMessageContaining("limit of 67108864 pixels");
        assertThat(e.size()).isEqualTo(new ImageSize(100_000, 100_000));

        Path small = dir.resolve("small.png");
        ImageFiles.writePng(new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB), small);
        ImageLoader tight = ImageLoader.builder().maxPixels(399).build();
        assertThat(assertThrows(ImageTooLargeException.class, () -> tight.read(small)))
                .hasMessageContaining("20x20 = 400 pixels");
    }

    @Test
    void namesFileAndProblemForBadFiles() throws IOException {
        Path missing = dir.resolve("missing.jpg");
        assertThat(assertThrows(NoSuchFileException.class, () -> loader.read(missing)))
                .hasMessageContaining("missing.jpg").hasMessageContaining("not found");

        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertThat(assertThrows(IOException.class, () -> loader.read(empty)))
                .hasMessageContaining("empty.png").hasMessageContaining("empty (0 bytes)");

        Path text = dir.resolve("notes.jpg");
        Files.writeString(text, "hello, not an image", StandardCharsets.US_ASCII);
        assertThat(assertThrows(IOException.class, () -> loader.read(text)))
                .hasMessageContaining("notes.jpg").hasMessageContaining("Unknown image format")
                .hasMessageNotContaining("68656c6c6f").hasMessageNotContaining("hello");

        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | ((x * y) & 0xFF));
            }
        }
        Path png = dir.resolve("cut.png");
        ImageFiles.writePng(img, png);
        TestImageFiles.truncate(png, (int) Files.size(png) / 2);
        assertThat(assertThrows(IOException.class, () -> loader.read(png)))
                .hasMessageContaining("cut.png").hasMessageContaining("corrupt or truncated");

        Path jpg = dir.resolve("cut.jpg");
        ImageFiles.writeJpeg(img, jpg, 0.9f);
        TestImageFiles.truncate(jpg, (int) Files.size(jpg) / 2);
        assertThat(assertThrows(IOException.class, () -> loader.read(jpg)))
                .hasMessageContaining("cut.jpg").hasMessageContaining("corrupt or truncated");

        Path header = dir.resolve("header.png");
        ImageFiles.writePng(img, header);
        TestImageFiles.truncate(header, 20);
        assertThat(assertThrows(IOException.class, () -> loader.read(header)))
                .hasMessageContaining("header.png").hasMessageContaining("corrupt or truncated");
    }

    @Test
    void readsImagesHeldInMemory() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0x102030);
        Path f = dir.resolve("mem.png");
        ImageFiles.writePng(img, f);
        byte[] bytes = Files.readAllBytes(f);
        assertThat(loader.read(bytes, "resource mem.png").dup('c').data().asFloat())
                .containsExactly(loader.read(f).dup('c').data().asFloat());
        assertThat(loader.readSize(bytes, "mem")).isEqualTo(new ImageSize(3, 2));

        TestImageFiles.patchPngSize(f, 30_000, 30_000);
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class,
                () -> loader.read(Files.readAllBytes(f), "resource huge.png"));
        assertThat(e).hasMessageContaining("resource huge.png").hasMessageContaining("30000x30000");
        assertThat(e.file()).isNull();
        assertThat(assertThrows(IOException.class, () -> loader.read(new byte[0], "nothing")))
                .hasMessageContaining("Image nothing is empty (0 bytes)");
        assertThat(assertThrows(IOException.class, () -> loader.read(new byte[] {1, 2, 3}, "junk")))
                .hasMessageContaining("Unknown image format in junk: no ImageIO reader");
        // a file's bytes are never echoed (a symlinked password file must not leak into a log)
        byte[] secret = "root:x:0:0:root:/root:/bin/bash\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(assertThrows(IOException.class, () -> loader.read(secret, "passwd")).getMessage())
                .doesNotContain("root").doesNotContain("726f6f74");
    }

    @Test
    void builderValidates() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> ImageLoader.builder().maxPixels(0).build()))
                .hasMessageContaining("maxPixels must be > 0, found 0");
        assertThat(assertThrows(NullPointerException.class, () -> ImageLoader.builder().alphaPolicy(null).build()))
                .hasMessage("alphaPolicy");
    }
}
