package org.dcsm.core.io;

import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.util.Arrays;
import java.util.Objects;

import org.dcsm.core.impl.Checks;
import org.dcsm.core.impl.NdArrays;
import org.dcsm.core.io.ImageLoader.AlphaPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between the three forms an RGB image takes in dcsm: a {@code 3×H×W} float
 * {@link INDArray} of RGB values in [0, 255] (what preprocessing and the network path use), interleaved
 * bytes {@code r,g,b,r,g,b,...} row-major (what the dense CRF's bilateral kernel reads), and
 * {@link BufferedImage} (what ImageIO reads and writes).
 *
 * <p>Every method returns a new array or image (a copy); inputs are not modified. Float to byte
 * conversions round to nearest and clamp to [0, 255]; NaN or infinite values are rejected.
 * Stateless and thread-safe.
 */
public final class Images {

    private Images() {
    }

    /**
     * Converts a decoded image to a new {@code 3×H×W} float RGB array, values in [0, 255], using the
     * sample values as stored (see {@link ImageLoader} for the colour rules: grey replicated, 16-bit
     * scaled by 255/65535, palette looked up, alpha by {@code alphaPolicy}).
     */
    public static INDArray toChw(BufferedImage image, AlphaPolicy alphaPolicy) {
        float[] chw = toChwArray(image, alphaPolicy);
        return Nd4j.create(chw, new long[] {3, image.getHeight(), image.getWidth()}, 'c');
    }

    /** {@link #toChw(BufferedImage, AlphaPolicy)} with alpha composited on black. */
    public static INDArray toChw(BufferedImage image) {
        return toChw(image, AlphaPolicy.COMPOSITE_ON_BLACK);
    }

    /**
     * The flat {@code 3·H·W} form of {@link #toChw(BufferedImage, AlphaPolicy)} (planes R, G, B, each
     * row-major).
     */
    public static float[] toChwArray(BufferedImage image, AlphaPolicy alphaPolicy) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(alphaPolicy, "alphaPolicy");
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            return fromIndexed(image, icm, alphaPolicy);
        }
        int type = cm.getColorSpace().getType();
        int nc = cm.getNumColorComponents();
        int transfer = image.getRaster().getTransferType();
        boolean integral = transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT
                || transfer == DataBuffer.TYPE_INT;
        if (integral && ((type == ColorSpace.TYPE_RGB && nc == 3) || (type == ColorSpace.TYPE_GRAY && nc == 1))) {
            return fromComponents(image, cm, alphaPolicy);
        }
        // Other colour spaces (an unconverted CMYK, Lab, float rasters...): let Java2D convert to sRGB.
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(),
                cm.hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return fromComponents(rgb, rgb.getColorModel(), alphaPolicy);
    }

    private static float[] fromIndexed(BufferedImage image, IndexColorModel icm, AlphaPolicy policy) {
        int w = image.getWidth();
        int h = image.getHeight();
        int n = icm.getMapSize();
        // indices at or beyond the map size (possible when the palette is shorter than 2^bits) read as black
        int size = Math.max(n, 1 << Math.min(16, image.getRaster().getSampleModel().getSampleSize(0)));
        float[][] lut = new float[3][size];
        for (int i = 0; i < n; i++) {
            float a = policy == AlphaPolicy.COMPOSITE_ON_BLACK && icm.hasAlpha() ? icm.getAlpha(i) / 255f : 1f;
            lut[0][i] = icm.getRed(i) * a;
            lut[1][i] = icm.getGreen(i) * a;
            lut[2][i] = icm.getBlue(i) * a;
        }
        int plane = w * h;
        float[] out = new float[3 * plane];
        int[] row = new int[w];
        Raster raster = image.getRaster();
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            int base = y * w;
            for (int x = 0; x < w; x++) {
                int idx = row[x];
                out[base + x] = lut[0][idx];
                out[plane + base + x] = lut[1][idx];
                out[2 * plane + base + x] = lut[2][idx];
            }
        }
        return out;
    }

    private static float[] fromComponents(BufferedImage image, ColorModel cm, AlphaPolicy policy) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        int nc = cm.getNumColorComponents();
        boolean alpha = cm.hasAlpha() && bands > nc;
        float[] scale = new float[bands];
        for (int b = 0; b < bands; b++) {
            int bits = cm.getComponentSize(Math.min(b, cm.getNumComponents() - 1));
            scale[b] = (float) (255.0 / ((1L << bits) - 1));
        }
        float alphaMax = alpha ? (float) ((1L << cm.getComponentSize(nc)) - 1) : 1f;
        boolean premultiplied = cm.isAlphaPremultiplied();
        int plane = w * h;
        float[] out = new float[3 * plane];
        int[] row = new int[w * bands];
        float[] rgb = new float[3];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            int base = y * w;
            for (int x = 0; x < w; x++) {
                int p = x * bands;
                if (nc == 1) {
                    float v = row[p] * scale[0];
                    rgb[0] = v;
                    rgb[1] = v;
                    rgb[2] = v;
                } else {
                    rgb[0] = row[p] * scale[0];
                    rgb[1] = row[p + 1] * scale[1];
                    rgb[2] = row[p + 2] * scale[2];
                }
                if (alpha) {
                    float a = row[p + nc] / alphaMax;
                    if (policy == AlphaPolicy.COMPOSITE_ON_BLACK && !premultiplied) {
                        rgb[0] *= a;
                        rgb[1] *= a;
                        rgb[2] *= a;
                    } else if (policy == AlphaPolicy.DROP && premultiplied && a > 0f) {
                        rgb[0] = Math.min(255f, rgb[0] / a);
                        rgb[1] = Math.min(255f, rgb[1] / a);
                        rgb[2] = Math.min(255f, rgb[2] / a);
                    }
                }
                out[base + x] = rgb[0];
                out[plane + base + x] = rgb[1];
                out[2 * plane + base + x] = rgb[2];
            }
        }
        return out;
    }

    /**
     * Interleaved RGB bytes ({@code r,g,b} per pixel, row-major; index {@code 3·(y·W + x) + c}) of a
     * decoded image. A new array of length {@code 3·W·H}.
     */
    public static byte[] toInterleavedRgb(BufferedImage image, AlphaPolicy alphaPolicy) {
        float[] chw = toChwArray(image, alphaPolicy);
        return chwToInterleaved(chw, image.getHeight(), image.getWidth(), "image");
    }

    /**
     * Interleaved RGB bytes of a {@code 3×H×W} array of values in [0, 255] (rounded, clamped). A new
     * array of length {@code 3·H·W}.
     *
     * @throws IllegalArgumentException when the array is not {@code 3×H×W} or holds NaN / infinity
     */
    public static byte[] toInterleavedRgb(INDArray rgbChw) {
        requireRgbChw(rgbChw, "RGB image");
        int h = (int) rgbChw.size(1);
        int w = (int) rgbChw.size(2);
        return chwToInterleaved(flat(rgbChw), h, w, "RGB image");
    }

    /**
     * A new {@code 3×H×W} float array from interleaved RGB bytes (unsigned, 0–255).
     *
     * @throws IllegalArgumentException when {@code rgb.length != 3·width·height} or a size is not positive
     */
    public static INDArray fromInterleavedRgb(byte[] rgb, int width, int height) {
        Objects.requireNonNull(rgb, "rgb");
        requireSize(width, height);
        int plane = width * height;
        if (rgb.length != 3L * plane) {
            throw new IllegalArgumentException("Interleaved RGB of " + width + "x" + height + " needs "
                    + 3L * plane + " bytes, found " + rgb.length);
        }
        float[] chw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            chw[i] = rgb[3 * i] & 0xFF;
            chw[plane + i] = rgb[3 * i + 1] & 0xFF;
            chw[2 * plane + i] = rgb[3 * i + 2] & 0xFF;
        }
        return Nd4j.create(chw, new long[] {3, height, width}, 'c');
    }

    /**
     * A new {@link BufferedImage#TYPE_INT_RGB} image from a {@code 3×H×W} array of RGB values in
     * [0, 255] (rounded to nearest, clamped).
     *
     * @throws IllegalArgumentException when the array is not {@code 3×H×W} or holds NaN / infinity
     */
    public static BufferedImage toBufferedImage(INDArray rgbChw) {
        requireRgbChw(rgbChw, "RGB image");
        int h = (int) rgbChw.size(1);
        int w = (int) rgbChw.size(2);
        byte[] rgb = chwToInterleaved(flat(rgbChw), h, w, "RGB image");
        return fromInterleavedToImage(rgb, w, h);
    }

    /** A new {@link BufferedImage#TYPE_INT_RGB} image from interleaved RGB bytes. */
    public static BufferedImage toBufferedImage(byte[] rgb, int width, int height) {
        Objects.requireNonNull(rgb, "rgb");
        requireSize(width, height);
        if (rgb.length != 3L * width * height) {
            throw new IllegalArgumentException("Interleaved RGB of " + width + "x" + height + " needs "
                    + 3L * width * height + " bytes, found " + rgb.length);
        }
        return fromInterleavedToImage(rgb, width, height);
    }

    private static BufferedImage fromInterleavedToImage(byte[] rgb, int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                row[x] = ((rgb[i] & 0xFF) << 16) | ((rgb[i + 1] & 0xFF) << 8) | (rgb[i + 2] & 0xFF);
            }
            image.setRGB(0, y, w, 1, row, 0, w);
        }
        return image;
    }

    /**
     * Throws unless {@code array} is a non-empty rank-3 array with 3 channels.
     *
     * @param what what the array is, for the message
     */
    public static void requireRgbChw(INDArray array, String what) {
        Objects.requireNonNull(array, what);
        if (array.rank() != 3 || array.size(0) != 3 || array.size(1) == 0 || array.size(2) == 0) {
            throw new IllegalArgumentException(what + " must be a non-empty 3×H×W array, found shape "
                    + Arrays.toString(array.shape()));
        }
    }

    private static float[] flat(INDArray chw) {
        return NdArrays.toFloats(chw);
    }

    private static byte[] chwToInterleaved(float[] chw, int h, int w, String what) {
        Checks.finite(chw, what, 3, h, w);
        int plane = w * h;
        byte[] out = new byte[3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float v = chw[c * plane + i];
                int q = Math.round(v);
                out[3 * i + c] = (byte) (q < 0 ? 0 : Math.min(q, 255));
            }
        }
        return out;
    }

    private static void requireSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Image size must be positive, found " + width + "x" + height);
        }
    }
}
