package org.dcsm.core.preprocess;

import java.util.Arrays;

import org.dcsm.core.BilinearResize;
import org.dcsm.core.impl.NdArrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where an image went on the network's input canvas, and the way back. The original
 * {@code originalWidth × originalHeight} image is scaled by {@link #scale()} to
 * {@code scaledWidth × scaledHeight} and placed with its top-left corner at
 * ({@link #offsetX()}, {@link #offsetY()}) on a {@code canvasWidth × canvasHeight} canvas; the rest of
 * the canvas is padding. The authors' code centres the image on a square canvas of side 500
 * ({@link #centred}); without a canvas the placement is the identity on the scaled image.
 *
 * <p>{@link #place} builds the canvas from the scaled image; {@link #restore} takes any map on the
 * canvas (saliency, class maps: {@code C×canvasHeight×canvasWidth}) back to the original pixels by
 * cropping the image's rectangle and resizing it bilinearly to the original size. Immutable value.
 */
public final class CanvasPlacement {

    private final int originalWidth;
    private final int originalHeight;
    private final int scaledWidth;
    private final int scaledHeight;
    private final int offsetX;
    private final int offsetY;
    private final int canvasWidth;
    private final int canvasHeight;

    private CanvasPlacement(int originalWidth, int originalHeight, int scaledWidth, int scaledHeight, int offsetX,
                            int offsetY, int canvasWidth, int canvasHeight) {
        this.originalWidth = originalWidth;
        this.originalHeight = originalHeight;
        this.scaledWidth = scaledWidth;
        this.scaledHeight = scaledHeight;
        this.offsetX = offsetX;
        this.offsetY = offsetY;
        this.canvasWidth = canvasWidth;
        this.canvasHeight = canvasHeight;
    }

    /**
     * The placement of a {@code width × height} image resized so that its longer side is {@code side}
     * ({@link AspectResize#sizeForLongestSide}) and, when {@code square}, centred on a {@code side × side}
     * canvas (offsets {@code floor((side − scaled)/2)}); otherwise the canvas is the scaled image.
     */
    public static CanvasPlacement centred(int width, int height, int side, boolean square) {
        int[] hw = AspectResize.sizeForLongestSide(height, width, side);
        if (!square) {
            return new CanvasPlacement(width, height, hw[1], hw[0], 0, 0, hw[1], hw[0]);
        }
        return new CanvasPlacement(width, height, hw[1], hw[0], (side - hw[1]) / 2, (side - hw[0]) / 2, side, side);
    }

    /** The identity placement of a {@code width × height} image (no resize, no canvas). */
    public static CanvasPlacement identity(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Image size must be positive, found " + width + "x" + height);
        }
        return new CanvasPlacement(width, height, width, height, 0, 0, width, height);
    }

    /** Width of the original image. */
    public int originalWidth() {
        return originalWidth;
    }

    /** Height of the original image. */
    public int originalHeight() {
        return originalHeight;
    }

    /** Width of the image after scaling (its width on the canvas). */
    public int scaledWidth() {
        return scaledWidth;
    }

    /** Height of the image after scaling (its height on the canvas). */
    public int scaledHeight() {
        return scaledHeight;
    }

    /** Column of the canvas where the image's first column is. */
    public int offsetX() {
        return offsetX;
    }

    /** Row of the canvas where the image's first row is. */
    public int offsetY() {
        return offsetY;
    }

    /** Width of the canvas (the network input). */
    public int canvasWidth() {
        return canvasWidth;
    }

    /** Height of the canvas (the network input). */
    public int canvasHeight() {
        return canvasHeight;
    }

    /**
     * The scale factor of the longer side, {@code scaled / original} (the shorter side's factor differs
     * from it by rounding only).
     */
    public double scale() {
        return originalWidth >= originalHeight ? (double) scaledWidth / originalWidth
                : (double) scaledHeight / originalHeight;
    }

    /** Whether the canvas is larger than the scaled image (there is padding). */
    public boolean padded() {
        return canvasWidth != scaledWidth || canvasHeight != scaledHeight;
    }

    /**
     * Puts a scaled image ({@code C×scaledHeight×scaledWidth}) on a new canvas filled with
     * {@code padValue}.
     *
     * @return a new {@code C×canvasHeight×canvasWidth} float array (a copy)
     * @throws IllegalArgumentException when the array's size is not the scaled size
     */
    public INDArray place(INDArray scaledChw, float padValue) {
        if (scaledChw.rank() != 3 || scaledChw.size(1) != scaledHeight || scaledChw.size(2) != scaledWidth) {
            throw new IllegalArgumentException("Expected a C×" + scaledHeight + "×" + scaledWidth
                    + " scaled image, found shape " + Arrays.toString(scaledChw.shape()));
        }
        int c = (int) scaledChw.size(0);
        float[] src = NdArrays.toFloats(scaledChw);
        float[] dst = new float[c * canvasHeight * canvasWidth];
        if (padValue != 0f) {
            Arrays.fill(dst, padValue);
        }
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < scaledHeight; y++) {
                System.arraycopy(src, (ch * scaledHeight + y) * scaledWidth, dst,
                        (ch * canvasHeight + y + offsetY) * canvasWidth + offsetX, scaledWidth);
            }
        }
        return Nd4j.create(dst, new long[] {c, canvasHeight, canvasWidth}, 'c');
    }

    /**
     * Takes a map on the canvas back to the original image: a map whose size is not the canvas's is
     * first resized to it (e.g. a network output at a coarser stride), then the image's rectangle is
     * cropped and resized bilinearly to {@code originalHeight × originalWidth}.
     *
     * @param canvasChw {@code C×h×w}; not modified
     * @return a new {@code C×originalHeight×originalWidth} float array (a copy)
     */
    public INDArray restore(INDArray canvasChw) {
        if (canvasChw.rank() != 3 || canvasChw.size(0) == 0 || canvasChw.size(1) == 0 || canvasChw.size(2) == 0) {
            throw new IllegalArgumentException("Expected a non-empty C×H×W map on the canvas, found shape "
                    + Arrays.toString(canvasChw.shape()));
        }
        INDArray canvas = canvasChw.size(1) == canvasHeight && canvasChw.size(2) == canvasWidth ? canvasChw
                : BilinearResize.resize(canvasChw, canvasHeight, canvasWidth);
        int c = (int) canvas.size(0);
        float[] src = NdArrays.toFloats(canvas);
        if (canvas != canvasChw) {
            canvas.close();
        }
        float[] crop = new float[c * scaledHeight * scaledWidth];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < scaledHeight; y++) {
                System.arraycopy(src, (ch * canvasHeight + y + offsetY) * canvasWidth + offsetX, crop,
                        (ch * scaledHeight + y) * scaledWidth, scaledWidth);
            }
        }
        float[] out = BilinearResize.resize(crop, c, scaledHeight, scaledWidth, null, originalHeight, originalWidth);
        return Nd4j.create(out, new long[] {c, originalHeight, originalWidth}, 'c');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanvasPlacement p && p.originalWidth == originalWidth && p.originalHeight == originalHeight
                && p.scaledWidth == scaledWidth && p.scaledHeight == scaledHeight && p.offsetX == offsetX
                && p.offsetY == offsetY && p.canvasWidth == canvasWidth && p.canvasHeight == canvasHeight;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {originalWidth, originalHeight, scaledWidth, scaledHeight, offsetX, offsetY,
                canvasWidth, canvasHeight});
    }

    @Override
    public String toString() {
        return "CanvasPlacement[" + originalWidth + "x" + originalHeight + " -> " + scaledWidth + "x" + scaledHeight
                + " at (" + offsetX + ", " + offsetY + ") on " + canvasWidth + "x" + canvasHeight + "]";
    }
}
