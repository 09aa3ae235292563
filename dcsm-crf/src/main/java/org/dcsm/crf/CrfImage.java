package org.dcsm.crf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.dcsm.core.impl.Checks;

/**
 * What the pairwise terms of a dense CRF read of one image, without the unary: its size, the RGB values (needed by
 * bilateral terms) and any named per-pixel feature vectors (needed by {@link PairwiseTerm.Kind#FEATURES} terms).
 * {@link DenseCrf#prepare(CrfImage)} builds the lattices of a CRF's terms on it once, so that several unaries,
 * weights, compatibilities or normalisations can run on them ({@link PreparedImage}).
 *
 * <p>Plain Java arrays only: this class, {@link PreparedImage}, {@link UnaryEnergies#of(float[], UnaryLayout, int,
 * int, int, int[])} and the raw-array outputs of {@link CrfSession} load no ND4J class. Immutable: everything is
 * copied in.
 */
public final class CrfImage {

    private final int width;
    private final int height;
    private final float[] rgb; // planar 3×N, 0..255, or null
    private final Map<String, float[]> features;
    private final Map<String, Integer> featureDims;

    private CrfImage(int width, int height, float[] rgb, Map<String, float[]> features, Map<String, Integer> dims) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
        this.features = features;
        this.featureDims = dims;
    }

    /**
     * An image of interleaved 8-bit RGB bytes, row-major ({@code R,G,B} of pixel (0,0), then (1,0), ...). Copied.
     *
     * @throws IllegalArgumentException when the size is not positive or the length is not {@code 3 * width * height}
     */
    public static CrfImage of(byte[] rgbInterleaved, int width, int height) {
        return builder(width, height).rgb(rgbInterleaved).build();
    }

    /**
     * A builder for an image of {@code width × height} pixels. Without RGB values it serves CRFs whose terms need
     * none (Gaussian and feature terms only).
     *
     * @throws IllegalArgumentException when the size is not positive or {@code width * height} exceeds
     *                                  {@code Integer.MAX_VALUE / 8}
     */
    public static Builder builder(int width, int height) {
        requireSize(width, height);
        return new Builder(width, height);
    }

    static void requireSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Image size must be positive, found width " + width + ", height "
                    + height);
        }
        if ((long) width * height > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException("Image of " + width + "x" + height + " pixels is too large: at most "
                    + Integer.MAX_VALUE / 8 + " pixels");
        }
    }

    /** Planar 3×N floats (0..255) from interleaved RGB bytes of {@code n} pixels (a new array). */
    static float[] planar(byte[] rgbInterleaved, int n) {
        float[] v = new float[3 * n];
        for (int i = 0; i < n; i++) {
            v[i] = rgbInterleaved[3 * i] & 0xFF;
            v[n + i] = rgbInterleaved[3 * i + 1] & 0xFF;
            v[2 * n + i] = rgbInterleaved[3 * i + 2] & 0xFF;
        }
        return v;
    }

    /**
     * Checks features given for the term {@code name}: a dimension of at least 1 that divides the length, every value
     * finite.
     *
     * @throws IllegalArgumentException naming the feature set, and the pixel and dimension of a bad value
     */
    static void requireFeatures(String name, float[] rowMajor, int dimension) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rowMajor, "features");
        if (dimension < 1) {
            throw new IllegalArgumentException("Feature dimension for '" + name + "' must be >= 1, found " + dimension);
        }
        if (rowMajor.length % dimension != 0) {
            throw new IllegalArgumentException("Features '" + name + "' have " + rowMajor.length
                    + " values, not a multiple of the dimension " + dimension);
        }
        Checks.finite(rowMajor, "features '" + name + "' (pixel, dimension)", rowMajor.length / dimension, dimension);
    }

    /** Collects the parts; not thread-safe. Every setter copies its argument. */
    public static final class Builder {
        private final int width;
        private final int height;
        private float[] rgb;
        private final Map<String, float[]> features = new LinkedHashMap<>();
        private final Map<String, Integer> dims = new LinkedHashMap<>();

        private Builder(int width, int height) {
            this.width = width;
            this.height = height;
        }

        /**
         * Interleaved 8-bit RGB, row-major ({@code R,G,B} of pixel (0,0), then (1,0), ...), as in a
         * {@code TYPE_3BYTE_BGR} raster reordered to RGB.
         *
         * @throws IllegalArgumentException when the length is not {@code 3 * width * height}
         */
        public Builder rgb(byte[] rgbInterleaved) {
            Objects.requireNonNull(rgbInterleaved, "rgbInterleaved");
            int n = width * height;
            if (rgbInterleaved.length != 3L * n) {
                throw new IllegalArgumentException("rgbInterleaved: an RGB image of " + width + "x" + height
                        + " needs " + 3L * n + " bytes, found " + rgbInterleaved.length);
            }
            this.rgb = planar(rgbInterleaved, n);
            return this;
        }

        /**
         * Planar RGB values in 0..255: channel {@code c} of pixel {@code y * width + x} at {@code [c * N + y * width
         * + x]} (the layout of a {@code 3×H×W} tensor).
         *
         * @throws IllegalArgumentException when the length is not {@code 3 * width * height} or a value is NaN or ±Inf
         */
        public Builder rgbPlanar(float[] planar) {
            Objects.requireNonNull(planar, "rgbPlanar");
            int n = width * height;
            if (planar.length != 3L * n) {
                throw new IllegalArgumentException("rgbPlanar: an RGB image of " + width + "x" + height + " needs "
                        + 3L * n + " values, found " + planar.length);
            }
            Checks.finite(planar, "rgbPlanar", 3, height, width);
            this.rgb = planar.clone();
            return this;
        }

        /**
         * Per-pixel features for the {@link PairwiseTerm.Kind#FEATURES} term named {@code name}: {@code N×D}
         * row-major ({@code N = H·W} pixels in row-major order), already divided by their bandwidths.
         *
         * @throws IllegalArgumentException when the dimension is below 1, the length is not {@code N * dimension}
         *                                  or a value is NaN or ±Inf
         */
        public Builder features(String name, float[] rowMajor, int dimension) {
            requireFeatures(name, rowMajor, dimension);
            int rows = rowMajor.length / dimension;
            if (rows != width * height) {
                throw new IllegalArgumentException("Features '" + name + "' have " + rows + " rows but the image has "
                        + width * height + " pixels (" + width + "x" + height + ")");
            }
            features.put(name, rowMajor.clone());
            dims.put(name, dimension);
            return this;
        }

        /** Planar RGB without a copy (the caller hands over an array it no longer touches). */
        Builder rgbPlanarOwned(float[] planar) {
            this.rgb = planar;
            return this;
        }

        /** Features already validated, without a copy (the caller hands over an array it no longer touches). */
        Builder featuresOwned(String name, float[] rowMajor, int dimension) {
            features.put(name, rowMajor);
            dims.put(name, dimension);
            return this;
        }

        /** The image. */
        public CrfImage build() {
            return new CrfImage(width, height, rgb, Collections.unmodifiableMap(new LinkedHashMap<>(features)),
                    Collections.unmodifiableMap(new LinkedHashMap<>(dims)));
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** {@code width * height}. */
    public int pixels() {
        return width * height;
    }

    /** Whether RGB values were given. */
    public boolean hasRgb() {
        return rgb != null;
    }

    /** The names of the feature sets given (unmodifiable). */
    public Set<String> featureNames() {
        return features.keySet();
    }

    /** Planar 3×N RGB, shared: callers in this package must not modify it. */
    float[] rgbView() {
        return rgb;
    }

    float[] featuresView(String name) {
        return features.get(name);
    }

    int featureDimension(String name) {
        return featureDims.get(name);
    }

    @Override
    public String toString() {
        return "CrfImage[" + width + "x" + height + (rgb != null ? ", rgb" : "") + (features.isEmpty() ? ""
                : ", features " + features.keySet()) + "]";
    }
}
