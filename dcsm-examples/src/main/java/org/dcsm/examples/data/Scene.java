package org.dcsm.examples.data;

import java.util.Arrays;
import java.util.Objects;

import org.dcsm.core.LabelMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One generated multi-label scene: an RGB image ({@code 3×H×W}, float 0–255, channel-major as dcsm's
 * image readers produce), its exact ground-truth {@link LabelMap} and its image-level labels (the
 * distinct foreground class ids present in the mask, ascending).
 *
 * <p>Immutable: the pixel array is copied in; {@link #rgb()}, {@link #image()} and {@link #labels()}
 * return copies.
 */
public final class Scene {

    private final String id;
    private final int width;
    private final int height;
    private final float[] rgb;
    private final LabelMap mask;
    private final int[] labels;

    /**
     * @param id     a file-name-safe identifier
     * @param rgb    {@code 3*height*width} values in 0–255, planes R, G, B, each row-major; copied
     * @param mask   ground truth of the same size
     * @param labels the image-level labels (foreground class ids, ≥ 1); copied and sorted
     */
    public Scene(String id, float[] rgb, LabelMap mask, int[] labels) {
        this.id = Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rgb, "rgb");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(labels, "labels");
        if (id.isBlank() || !id.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("Scene id must be a non-empty file-name-safe string, found '" + id + "'");
        }
        this.width = mask.width();
        this.height = mask.height();
        if (rgb.length != 3 * width * height) {
            throw new IllegalArgumentException("Scene '" + id + "': rgb must hold 3*" + height + "*" + width + " = "
                    + 3 * width * height + " values, found " + rgb.length);
        }
        for (int i = 0; i < rgb.length; i++) {
            if (!(rgb[i] >= 0f && rgb[i] <= 255f)) {
                throw new IllegalArgumentException("Scene '" + id + "': pixel value " + rgb[i] + " at index " + i
                        + " is outside 0..255");
            }
        }
        for (int label : labels) {
            if (label < 1) {
                throw new IllegalArgumentException("Scene '" + id + "': labels must be foreground ids >= 1, found "
                        + label);
            }
        }
        this.rgb = rgb.clone();
        this.mask = mask;
        this.labels = labels.clone();
        Arrays.sort(this.labels);
    }

    public String id() {
        return id;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** A copy of the pixels, planes R, G, B, each row-major, values 0–255. */
    public float[] rgb() {
        return rgb.clone();
    }

    /** A new {@code 3×H×W} float array (a copy) of the pixels, values 0–255. */
    public INDArray image() {
        return Nd4j.create(rgb.clone(), new long[] {3, height, width}, 'c');
    }

    /** The ground-truth segmentation (immutable). */
    public LabelMap mask() {
        return mask;
    }

    /** A copy of the image-level labels, ascending. */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * The labels as a multi-hot vector over the {@code foregroundCount} network channels (channel
     * {@code k} is class id {@code k + 1}), a new array.
     */
    public float[] multiHot(int foregroundCount) {
        float[] hot = new float[foregroundCount];
        for (int label : labels) {
            if (label > foregroundCount) {
                throw new IllegalArgumentException("Scene '" + id + "' has label " + label + " but only "
                        + foregroundCount + " foreground classes were given");
            }
            hot[label - 1] = 1f;
        }
        return hot;
    }

    @Override
    public String toString() {
        return "Scene[" + id + ", " + width + "x" + height + ", labels " + Arrays.toString(labels) + "]";
    }
}
