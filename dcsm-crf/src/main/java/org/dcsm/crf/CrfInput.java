package org.dcsm.crf;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.dcsm.core.impl.Checks;
import org.dcsm.core.impl.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one dense-CRF inference reads: the unary energies and the {@link CrfImage} (the RGB image needed by bilateral
 * terms, and any named per-pixel feature vectors needed by {@link PairwiseTerm.Kind#FEATURES} terms). Validated in
 * {@link Builder#build()}; immutable (everything is copied in).
 */
public final class CrfInput {

    private final UnaryEnergies unary;
    private final CrfImage image;

    private CrfInput(UnaryEnergies unary, CrfImage image) {
        this.unary = unary;
        this.image = image;
    }

    /**
     * Input from an image and unary energies of the same size (no copy: both are immutable).
     *
     * @throws IllegalArgumentException when the sizes differ
     */
    public static CrfInput of(CrfImage image, UnaryEnergies unary) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(unary, "unary");
        if (image.width() != unary.width() || image.height() != unary.height()) {
            throw new IllegalArgumentException("The image is " + image.width() + "x" + image.height()
                    + " (W×H) but the unary is " + unary.width() + "x" + unary.height());
        }
        return new CrfInput(unary, image);
    }

    /** Input with an image ({@code 3×H×W}, RGB 0..255) and unary energies. */
    public static CrfInput of(INDArray image, UnaryEnergies unary) {
        return builder().image(image).unary(unary).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts; not thread-safe. */
    public static final class Builder {
        private UnaryEnergies unary;
        private float[] rgb;
        private int imageWidth = -1;
        private int imageHeight = -1;
        private final Map<String, float[]> features = new LinkedHashMap<>();
        private final Map<String, Integer> dims = new LinkedHashMap<>();

        private Builder() {
        }

        /** The unary energies (required). */
        public Builder unary(UnaryEnergies unary) {
            this.unary = Objects.requireNonNull(unary, "unary");
            return this;
        }

        /**
         * The image as a {@code 3×H×W} tensor of RGB values in 0..255 (copied as float).
         *
         * @throws IllegalArgumentException when the image is not rank 3 with 3 channels, or holds NaN or ±Inf
         */
        public Builder image(INDArray image) {
            Objects.requireNonNull(image, "image");
            long[] s = image.shape();
            if (image.rank() != 3 || s[0] != 3) {
                throw new IllegalArgumentException("The image must be an RGB tensor 3×H×W, found shape "
                        + Arrays.toString(s));
            }
            float[] v = NdArrays.toFloats(image);
            Checks.finite(v, "the image", s);
            this.rgb = v;
            this.imageHeight = (int) s[1];
            this.imageWidth = (int) s[2];
            return this;
        }

        /**
         * The image as interleaved 8-bit RGB bytes, row-major ({@code R,G,B} of pixel (0,0), then (1,0), ...),
         * as in a {@code TYPE_3BYTE_BGR} raster reordered to RGB. Copied.
         *
         * @throws IllegalArgumentException when the length is not {@code 3 * width * height}
         */
        public Builder image(byte[] rgbInterleaved, int width, int height) {
            Objects.requireNonNull(rgbInterleaved, "rgbInterleaved");
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("Image size must be positive, found " + width + "x" + height);
            }
            long n = (long) width * height;
            if (rgbInterleaved.length != 3 * n) {
                throw new IllegalArgumentException("An RGB image of " + width + "x" + height + " needs " + 3 * n
                        + " interleaved bytes, found " + rgbInterleaved.length);
            }
            this.rgb = CrfImage.planar(rgbInterleaved, (int) n);
            this.imageWidth = width;
            this.imageHeight = height;
            return this;
        }

        /**
         * Per-pixel features for the {@link PairwiseTerm.Kind#FEATURES} term named {@code name}: {@code N×D}
         * row-major ({@code N = H·W} pixels in row-major order), already divided by their bandwidths. Copied.
         */
        public Builder features(String name, float[] rowMajor, int dimension) {
            CrfImage.requireFeatures(name, rowMajor, dimension);
            features.put(name, rowMajor.clone());
            dims.put(name, dimension);
            return this;
        }

        /** Per-pixel features as an {@code N×D} array, see {@link #features(String, float[], int)}. */
        public Builder features(String name, INDArray nByD) {
            Objects.requireNonNull(nByD, "features");
            if (nByD.rank() != 2) {
                throw new IllegalArgumentException("Features '" + name + "' must be N×D (rank 2), found shape "
                        + Arrays.toString(nByD.shape()));
            }
            return features(name, NdArrays.toFloats(nByD), (int) nByD.size(1));
        }

        /**
         * @throws IllegalArgumentException when the unary is missing, or the image or a feature set does not
         *                                  match the unary's size
         */
        public CrfInput build() {
            if (unary == null) {
                throw new IllegalArgumentException("A CRF input needs unary energies, none were given");
            }
            if (rgb != null && (imageWidth != unary.width() || imageHeight != unary.height())) {
                throw new IllegalArgumentException("The image is " + imageWidth + "x" + imageHeight
                        + " (W×H) but the unary is " + unary.width() + "x" + unary.height());
            }
            int n = unary.width() * unary.height();
            for (Map.Entry<String, float[]> e : features.entrySet()) {
                int rows = e.getValue().length / dims.get(e.getKey());
                if (rows != n) {
                    throw new IllegalArgumentException("Features '" + e.getKey() + "' have " + rows
                            + " rows but the unary has " + n + " pixels");
                }
            }
            CrfImage.Builder image = CrfImage.builder(unary.width(), unary.height());
            if (rgb != null) {
                image.rgbPlanarOwned(rgb); // copied in by image(...), validated above
            }
            for (Map.Entry<String, float[]> e : features.entrySet()) {
                image.featuresOwned(e.getKey(), e.getValue(), dims.get(e.getKey())); // copied and validated above
            }
            return new CrfInput(unary, image.build());
        }
    }

    public UnaryEnergies unary() {
        return unary;
    }

    /** The image part (size, RGB, features), which {@link DenseCrf#prepare(CrfImage)} accepts. */
    public CrfImage image() {
        return image;
    }

    public int width() {
        return unary.width();
    }

    public int height() {
        return unary.height();
    }

    /** Whether an image was given. */
    public boolean hasImage() {
        return image.hasRgb();
    }

    /** The names of the feature sets given. */
    public java.util.Set<String> featureNames() {
        return image.featureNames();
    }
}
