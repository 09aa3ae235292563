package org.dcsm.core.preprocess;

import org.dcsm.core.BilinearResize;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Resizing that keeps the aspect ratio: the longer side becomes exactly {@code side} and the shorter
 * one {@code max(1, round(shorter · side / longer))}, bilinearly with {@link BilinearResize} (half-pixel
 * centres). Stateless.
 */
public final class AspectResize {

    private AspectResize() {
    }

    /**
     * The size {@code {height, width}} that a {@code height × width} image gets when its longer side is
     * scaled to {@code side}.
     */
    public static int[] sizeForLongestSide(int height, int width, int side) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Image size must be positive, found " + width + "x" + height);
        }
        if (side <= 0) {
            throw new IllegalArgumentException("Longest side must be > 0, found " + side);
        }
        if (width >= height) {
            return new int[] {Math.max(1, (int) Math.round((double) height * side / width)), side};
        }
        return new int[] {side, Math.max(1, (int) Math.round((double) width * side / height))};
    }

    /**
     * Resizes a {@code C×H×W} array so that its longer side is {@code side}.
     *
     * @return a new float array (a copy even when the size does not change)
     */
    public static INDArray toLongestSide(INDArray chw, int side) {
        if (chw.rank() != 3) {
            throw new IllegalArgumentException("Expected a C×H×W array, found rank " + chw.rank());
        }
        int[] hw = sizeForLongestSide((int) chw.size(1), (int) chw.size(2), side);
        return BilinearResize.resize(chw, hw[0], hw[1]);
    }
}
