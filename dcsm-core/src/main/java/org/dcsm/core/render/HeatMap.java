package org.dcsm.core.render;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Objects;

import org.dcsm.core.impl.Checks;
import org.dcsm.core.impl.NdArrays;
import org.dcsm.core.io.Images;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Renders a class map as a heat map picture with the paper's display normalisation (the one Eq. 5
 * applies before averaging): {@code v = tanh(alpha · x / max x)} with {@code alpha = 3}, negative values
 * clamped to 0, then coloured with a {@link Colormap} (jet by default, as in the paper's figures). With
 * {@code alpha = 0} the display is linear, {@code v = x / max x}. A map whose maximum is not positive is
 * drawn as 0 everywhere. Immutable and thread-safe.
 */
public final class HeatMap {

    private final double alpha;
    private final Colormap colormap;
    private final int[] lut;

    private HeatMap(Builder b) {
        this.alpha = b.alpha;
        this.colormap = b.colormap;
        this.lut = b.colormap.lookupTable();
    }

    /** The paper's display: tanh(3x / max), jet. */
    public static HeatMap paper() {
        return builder().build();
    }

    /** A builder starting from {@link #paper()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this heat map's settings. */
    public Builder toBuilder() {
        return new Builder().alpha(alpha).colormap(colormap);
    }

    /** Builder for {@link HeatMap}; validated in {@link #build()}. */
    public static final class Builder {
        private double alpha = 3.0;
        private Colormap colormap = Colormap.JET;

        private Builder() {
        }

        /** The tanh gain (default 3, the paper's); 0 for a linear display. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** The colour map (default {@link Colormap#JET}). */
        public Builder colormap(Colormap colormap) {
            this.colormap = colormap;
            return this;
        }

        /** Validates and builds: alpha finite and &gt;= 0, colour map set. */
        public HeatMap build() {
            Checks.nonNegativeFinite(alpha, "alpha");
            Checks.notNull(colormap, "colormap");
            return new HeatMap(this);
        }
    }

    /**
     * The display values in [0, 1] of a flat map ({@code tanh(alpha·max(x,0)/max)} or linear); a new array.
     *
     * @throws IllegalArgumentException naming the index of a NaN or infinite value
     */
    public float[] displayValues(float[] map) {
        Objects.requireNonNull(map, "map");
        Checks.finite(map, "the class map");
        float max = 0f;
        for (int i = 0; i < map.length; i++) {
            max = Math.max(max, map[i]);
        }
        float[] out = new float[map.length];
        if (max <= 0f) {
            return out;
        }
        for (int i = 0; i < map.length; i++) {
            double x = Math.max(0f, map[i]) / (double) max;
            out[i] = (float) (alpha == 0 ? x : Math.tanh(alpha * x));
        }
        return out;
    }

    /**
     * Renders an {@code H×W} or {@code 1×H×W} map.
     *
     * @return a new {@link BufferedImage#TYPE_INT_RGB} image
     */
    public BufferedImage render(INDArray map) {
        Objects.requireNonNull(map, "map");
        long[] s = map.shape();
        if (!(map.rank() == 2 || (map.rank() == 3 && s[0] == 1)) || s[s.length - 1] == 0 || s[s.length - 2] == 0) {
            throw new IllegalArgumentException("A heat map needs an H×W or 1×H×W map, found shape " + Arrays.toString(s));
        }
        int h = (int) s[s.length - 2];
        int w = (int) s[s.length - 1];
        return render(NdArrays.toFloats(map), w, h);
    }

    /** Renders channel {@code channel} of a {@code C×H×W} array (e.g. one class of a class-map entry). */
    public BufferedImage renderChannel(INDArray chw, int channel) {
        if (chw.rank() != 3 || channel < 0 || channel >= chw.size(0)) {
            throw new IllegalArgumentException("Channel " + channel + " is not in the C×H×W array of shape "
                    + Arrays.toString(chw.shape()));
        }
        return render(chw.slice(channel));
    }

    /** Renders a flat row-major {@code width × height} map. */
    public BufferedImage render(float[] map, int width, int height) {
        if (width <= 0 || height <= 0 || map.length != (long) width * height) {
            throw new IllegalArgumentException("A " + width + "x" + height + " map needs " + (long) width * height
                    + " values, found " + map.length);
        }
        float[] v = displayValues(map);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = lut[Math.round(v[y * width + x] * 255f)];
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    /**
     * Blends the heat map of {@code map} over an image: {@code out = (1 − opacity)·image + opacity·heat}.
     *
     * @param rgbChw  {@code 3×H×W} RGB, 0–255
     * @param map     {@code H×W} or {@code 1×H×W}, the same height and width
     * @param opacity weight of the heat map, in [0, 1]
     * @return a new {@link BufferedImage#TYPE_INT_RGB} image
     */
    public BufferedImage overlay(INDArray rgbChw, INDArray map, double opacity) {
        Images.requireRgbChw(rgbChw, "image");
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be in [0, 1], found " + opacity);
        }
        BufferedImage heat = render(map);
        int w = (int) rgbChw.size(2);
        int h = (int) rgbChw.size(1);
        if (heat.getWidth() != w || heat.getHeight() != h) {
            throw new IllegalArgumentException("The map is " + heat.getWidth() + "x" + heat.getHeight()
                    + " but the image is " + w + "x" + h);
        }
        byte[] rgb = Images.toInterleavedRgb(rgbChw);
        int[] row = new int[w];
        float a = (float) opacity;
        for (int y = 0; y < h; y++) {
            heat.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                for (int c = 0; c < 3; c++) {
                    int hc = (row[x] >> (16 - 8 * c)) & 0xFF;
                    rgb[i + c] = (byte) Math.round((1 - a) * (rgb[i + c] & 0xFF) + a * hc);
                }
            }
        }
        return Images.toBufferedImage(rgb, w, h);
    }

    /** The tanh gain. */
    public double alpha() {
        return alpha;
    }

    /** The colour map. */
    public Colormap colormap() {
        return colormap;
    }
}
