package org.dcsm.backprop.train;

import java.util.Arrays;
import java.util.Objects;

import org.dcsm.core.Validation;
import org.dcsm.core.preprocess.VggPreprocessor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training or evaluation example with image-level labels only: a preprocessed image (3×H×W, BGR,
 * VGG mean subtracted, as the network expects) and the sorted, distinct foreground class ids present in it
 * (1..K of the model's {@link org.dcsm.core.ClassList}; 0, the background, is not a label).
 *
 * <p>The image is held by reference (not copied) and never modified; the id array is copied.
 */
public final class LabeledImage {

    /** VGG-16's ImageNet mean in BGR order (Caffe's 103.939, 116.779, 123.68). */
    public static final float[] VGG_MEAN_BGR = {(float) VggPreprocessor.VGG_MEAN_B, (float) VggPreprocessor.VGG_MEAN_G,
        (float) VggPreprocessor.VGG_MEAN_R};

    private final INDArray image;
    private final int[] classIds;

    /**
     * @param image    preprocessed image [3, H, W] (float), finite
     * @param classIds the foreground class ids present (≥ 1; at least one; duplicates removed)
     * @throws IllegalArgumentException naming a bad shape, a non-finite pixel, an empty label set or a class
     *                                  id below 1
     */
    public LabeledImage(INDArray image, int... classIds) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(classIds, "classIds");
        long[] s = image.shape();
        if (s.length != 3 || s[0] != 3 || s[1] < 1 || s[2] < 1) {
            throw new IllegalArgumentException("image must have shape [3, H, W], found " + Arrays.toString(s));
        }
        Validation.requireFinite(image, "image");
        if (classIds.length == 0) {
            throw new IllegalArgumentException("classIds must not be empty: every training image needs at least one "
                    + "foreground class label");
        }
        int[] ids = Arrays.stream(classIds).sorted().distinct().toArray();
        if (ids[0] < 1) {
            throw new IllegalArgumentException("class id " + ids[0] + " is not a foreground class (ids start at 1; "
                    + "0 is the background)");
        }
        this.image = image;
        this.classIds = ids;
    }

    /**
     * Preprocesses an RGB image with values 0–255 the way VGG-16 expects: channels reversed to BGR and
     * {@link #VGG_MEAN_BGR} subtracted, by {@code dcsm-core}'s {@link VggPreprocessor#vgg()} (no resize, no
     * canvas), so training sees exactly what the pipelines feed the network.
     *
     * @param rgb      [3, H, W], R first, values 0–255; not modified
     * @param classIds foreground class ids present
     */
    public static LabeledImage fromRgb(INDArray rgb, int... classIds) {
        long[] s = rgb.shape();
        if (s.length != 3 || s[0] != 3) {
            throw new IllegalArgumentException("rgb image must have shape [3, H, W], found " + Arrays.toString(s));
        }
        return new LabeledImage(VggPreprocessor.vgg().prepare(rgb).input().reshape(s), classIds);
    }

    /** The preprocessed image [3, H, W] (the instance given, not a copy). */
    public INDArray image() {
        return image;
    }

    /** Image height. */
    public int height() {
        return (int) image.size(1);
    }

    /** Image width. */
    public int width() {
        return (int) image.size(2);
    }

    /** Sorted distinct foreground class ids (copy). */
    public int[] classIds() {
        return classIds.clone();
    }

    /** Whether class id {@code id} is present. */
    public boolean hasClass(int id) {
        return Arrays.binarySearch(classIds, id) >= 0;
    }

    /** Largest class id present. */
    public int maxClassId() {
        return classIds[classIds.length - 1];
    }

    @Override
    public String toString() {
        return "LabeledImage{" + height() + "x" + width() + ", classIds=" + Arrays.toString(classIds) + "}";
    }
}
