package org.dcsm.core;

import java.util.Arrays;

/**
 * A segmentation: one class id per pixel (see {@link ClassList} for what an id means; 0 is the
 * background), row-major, {@code height × width}. Produced by the argmax over class maps or unaries,
 * by the dense CRF, or read from a ground-truth mask. A ground-truth mask may also hold
 * {@link #VOID} (255 in PASCAL VOC), which evaluation ignores.
 *
 * <p>Immutable: the constructor copies the array and {@link #toArray()} returns a copy.
 */
public final class LabelMap {

    /** The "void / do not care" label of PASCAL VOC masks (object borders, ambiguous pixels). */
    public static final int VOID = 255;

    private final int width;
    private final int height;
    private final int[] ids;

    private LabelMap(int width, int height, int[] ids) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("A label map needs a positive size, found " + width + "x" + height);
        }
        long pixels = (long) width * height;
        if (ids.length != pixels) {
            throw new IllegalArgumentException("A " + width + "x" + height + " label map needs " + pixels
                    + " labels, found " + ids.length);
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0) {
                throw new IllegalArgumentException("Negative class id " + ids[i] + " at pixel (" + (i % width)
                        + ", " + (i / width) + ")");
            }
        }
        this.width = width;
        this.height = height;
        this.ids = ids;
    }

    /**
     * A label map from row-major class ids (copied).
     *
     * @throws IllegalArgumentException when the size is not positive, the array length is not
     *                                  {@code width*height} or an id is negative
     */
    public static LabelMap of(int width, int height, int[] rowMajorIds) {
        return new LabelMap(width, height, rowMajorIds.clone());
    }

    /** A label map with every pixel set to {@code id}. */
    public static LabelMap filled(int width, int height, int id) {
        long pixels = (long) width * height;
        if (width <= 0 || height <= 0 || pixels > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("A label map needs a positive size of at most 2^31 pixels, found "
                    + width + "x" + height);
        }
        int[] ids = new int[(int) pixels];
        Arrays.fill(ids, id);
        return new LabelMap(width, height, ids);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The class id at column {@code x}, row {@code y}. */
    public int get(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("(" + x + ", " + y + ") is outside " + width + "x" + height);
        }
        return ids[y * width + x];
    }

    /** A copy of the row-major class ids. */
    public int[] toArray() {
        return ids.clone();
    }

    /** Number of pixels whose id is {@code id}. */
    public long count(int id) {
        long n = 0;
        for (int v : ids) {
            if (v == id) {
                n++;
            }
        }
        return n;
    }

    /** The distinct ids present, ascending. */
    public int[] distinctIds() {
        return Arrays.stream(ids).distinct().sorted().toArray();
    }

    /**
     * The distinct ids present other than background ({@link ClassList#BACKGROUND}) and void ({@link #VOID}),
     * ascending: the image-level labels the mask implies.
     */
    public int[] foregroundIds() {
        return Arrays.stream(ids).distinct().filter(id -> id != ClassList.BACKGROUND && id != VOID).sorted().toArray();
    }

    /** Fraction of pixels with the same id in both maps (sizes must match). */
    public double agreement(LabelMap other) {
        if (other.width != width || other.height != height) {
            throw new IllegalArgumentException("Label maps differ in size: " + width + "x" + height + " vs "
                    + other.width + "x" + other.height);
        }
        long same = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == other.ids[i]) {
                same++;
            }
        }
        return (double) same / ids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMap other && width == other.width && height == other.height
                && Arrays.equals(ids, other.ids);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "LabelMap[" + width + "x" + height + ", ids " + Arrays.toString(distinctIds()) + "]";
    }
}
