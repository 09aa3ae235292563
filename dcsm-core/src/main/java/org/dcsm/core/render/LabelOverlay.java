package org.dcsm.core.render;

import java.awt.image.BufferedImage;
import java.util.Objects;

import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.dcsm.core.io.ImageLoader.AlphaPolicy;
import org.dcsm.core.io.Images;
import org.dcsm.core.io.LabelMapPng;
import org.dcsm.core.io.VocPalette;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Label maps as pictures: alone in the VOC palette ({@link #labelPicture}), or blended over their image:
 * {@code out = (1 − opacity)·image + opacity·colour(label)} per pixel, with the VOC palette colours.
 * Background pixels are left untouched unless {@link Builder#includeBackground(boolean)}; void pixels
 * (255) are tinted with the void colour (224,224,192) unless {@link Builder#drawVoid(boolean)} is off.
 * Immutable and thread-safe; every picture is a new image.
 */
public final class LabelOverlay {

    private final double opacity;
    private final boolean includeBackground;
    private final boolean drawVoid;

    private LabelOverlay(Builder b) {
        this.opacity = b.opacity;
        this.includeBackground = b.includeBackground;
        this.drawVoid = b.drawVoid;
    }

    /** Opacity 0.5, background untouched, void drawn. */
    public static LabelOverlay defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this overlay's settings. */
    public Builder toBuilder() {
        return new Builder().opacity(opacity).includeBackground(includeBackground).drawVoid(drawVoid);
    }

    /** Builder for {@link LabelOverlay}; validated in {@link #build()}. */
    public static final class Builder {
        private double opacity = 0.5;
        private boolean includeBackground;
        private boolean drawVoid = true;

        private Builder() {
        }

        /** Weight of the label colour, in [0, 1] (default 0.5). */
        public Builder opacity(double opacity) {
            this.opacity = opacity;
            return this;
        }

        /** Whether background pixels are tinted (black) too (default false). */
        public Builder includeBackground(boolean includeBackground) {
            this.includeBackground = includeBackground;
            return this;
        }

        /** Whether void pixels are tinted (default true). */
        public Builder drawVoid(boolean drawVoid) {
            this.drawVoid = drawVoid;
            return this;
        }

        public LabelOverlay build() {
            if (!(opacity >= 0 && opacity <= 1)) {
                throw new IllegalArgumentException("opacity must be in [0, 1], found " + opacity);
            }
            return new LabelOverlay(this);
        }
    }

    /** The label map in the VOC palette (an indexed image, as {@link LabelMapPng} writes it). */
    public static BufferedImage labelPicture(LabelMap labels) {
        return LabelMapPng.toIndexedImage(labels);
    }

    /** Blends the labels over a {@code 3×H×W} RGB image (0–255). */
    public BufferedImage overlay(INDArray rgbChw, LabelMap labels) {
        Images.requireRgbChw(rgbChw, "image");
        return blend(Images.toInterleavedRgb(rgbChw), (int) rgbChw.size(2), (int) rgbChw.size(1), labels);
    }

    /** Blends the labels over a decoded image (stored sample values, alpha composited on black). */
    public BufferedImage overlay(BufferedImage image, LabelMap labels) {
        Objects.requireNonNull(image, "image");
        return blend(Images.toInterleavedRgb(image, AlphaPolicy.COMPOSITE_ON_BLACK), image.getWidth(),
                image.getHeight(), labels);
    }

    private BufferedImage blend(byte[] rgb, int w, int h, LabelMap labels) {
        Objects.requireNonNull(labels, "labels");
        if (labels.width() != w || labels.height() != h) {
            throw new IllegalArgumentException("Labels are " + labels.width() + "x" + labels.height()
                    + " but the image is " + w + "x" + h);
        }
        int[] ids = labels.toArray();
        float a = (float) opacity;
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if ((id == ClassList.BACKGROUND && !includeBackground) || (id == LabelMap.VOID && !drawVoid)) {
                continue;
            }
            if (id > 255) {
                throw new IllegalArgumentException("Class id " + id + " at pixel (" + (i % w) + ", " + (i / w)
                        + ") has no palette colour (ids 0..255)");
            }
            int colour = VocPalette.rgb(id);
            for (int c = 0; c < 3; c++) {
                int lc = (colour >> (16 - 8 * c)) & 0xFF;
                int ic = rgb[3 * i + c] & 0xFF;
                rgb[3 * i + c] = (byte) Math.round((1 - a) * ic + a * lc);
            }
        }
        return Images.toBufferedImage(rgb, w, h);
    }
}
