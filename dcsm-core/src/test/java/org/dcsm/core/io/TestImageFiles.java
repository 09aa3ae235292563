package org.dcsm.core.io;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import com.twelvemonkeys.imageio.color.ColorSpaces;

/** Creates test images in code (no checked-in binaries). */
public final class TestImageFiles {

    private TestImageFiles() {
    }

    /**
     * Writes a 4-component CMYK JPEG with TwelveMonkeys' writer (the JDK's cannot): {@code cmyk[y][x]}
     * holds C, M, Y, K bytes per pixel.
     */
    public static void writeCmykJpeg(Path file, int[][][] cmyk) throws IOException {
        int h = cmyk.length;
        int w = cmyk[0].length;
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, cmyk[y][x]);
            }
        }
        ColorSpace cs = ColorSpaces.getColorSpace(ColorSpaces.CS_GENERIC_CMYK);
        ComponentColorModel cm = new ComponentColorModel(cs, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        BufferedImage image = new BufferedImage(cm, raster, false, null);
        ImageWriter writer = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter candidate = it.next();
            if (candidate.getClass().getName().startsWith("com.twelvemonkeys")) {
                writer = candidate;
                break;
            }
        }
        if (writer == null) {
            throw new IllegalStateException("TwelveMonkeys JPEG writer not on the class path");
        }
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(ios);
            writer.write(image);
        } finally {
            writer.dispose();
        }
    }

    /** The number of components in a JPEG's first SOFn frame header. */
    public static int jpegComponents(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                throw new IllegalStateException("Not at a JPEG marker at " + i);
            }
            int marker = b[i + 1] & 0xFF;
            int len = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return b[i + 9] & 0xFF;
            }
            i += 2 + len;
        }
        throw new IllegalStateException("No SOF marker in " + file);
    }

    /** A 16-bit-per-sample RGB image (TYPE_CUSTOM, sRGB) from {@code rgb[y][x]} = r, g, b in 0..65535. */
    public static BufferedImage rgb16(int[][][] rgb) {
        int h = rgb.length;
        int w = rgb[0].length;
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, rgb[y][x]);
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }

    /**
     * Rewrites the width and height in a PNG's IHDR chunk (with a correct CRC), so the header declares
     * a size the data does not have.
     */
    public static void patchPngSize(Path png, int width, int height) throws IOException {
        byte[] b = Files.readAllBytes(png);
        // signature (8) + length (4) + "IHDR" (4): width at 16, height at 20, CRC after 13 data bytes at 29
        if (b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new IllegalStateException("No IHDR at offset 12 in " + png);
        }
        putInt(b, 16, width);
        putInt(b, 20, height);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 4 + 13);
        putInt(b, 29, (int) crc.getValue());
        Files.write(png, b);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Keeps the first {@code keep} bytes of a file. */
    public static void truncate(Path file, int keep) throws IOException {
        byte[] b = Files.readAllBytes(file);
        byte[] cut = new byte[Math.min(keep, b.length)];
        System.arraycopy(b, 0, cut, 0, cut.length);
        Files.write(file, cut);
    }
}
