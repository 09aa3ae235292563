package org.dcsm.core.eval;

import java.util.Objects;

import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;

/**
 * A confusion matrix of per-pixel class ids accumulated over images: {@code count(g, p)} is the number of
 * pixels whose ground truth is class {@code g} and whose prediction is class {@code p}, as in the PASCAL
 * VOC development kit. Pixels whose ground truth is {@link LabelMap#VOID} (255) are not counted (they are
 * tallied in {@link #voidPixels()}). Counts are {@code long}, so a whole dataset fits.
 *
 * <p>Mutable accumulator, <b>not thread-safe</b>: for parallel evaluation give each thread its own
 * matrix and {@link #merge} them (addition is exact, so the order does not matter). Scores are computed
 * by {@link #scores()}, which takes a snapshot.
 */
public final class ConfusionMatrix {

    private final ClassList classes;
    private final int n;
    private final long[] counts;
    private long voidPixels;
    private long images;

    private ConfusionMatrix(ClassList classes) {
        this.classes = Objects.requireNonNull(classes, "classes");
        this.n = classes.size();
        this.counts = new long[n * n];
    }

    /** An empty matrix over the classes of {@code classes} (ids 0..size-1). */
    public static ConfusionMatrix of(ClassList classes) {
        return new ConfusionMatrix(classes);
    }

    /**
     * A matrix holding the given counts, e.g. the sum of matrices counted elsewhere (dcsm-spark's executors)
     * and shipped as plain numbers.
     *
     * @param counts      {@code [groundTruth][predicted]}, {@code classes.size()} rows of as many non-negative counts;
     *                    copied
     * @param voidPixels  ground-truth void pixels skipped, {@code >= 0}
     * @param images      images counted, {@code >= 0}
     * @throws IllegalArgumentException naming the bad shape or the first negative count
     */
    public static ConfusionMatrix ofCounts(ClassList classes, long[][] counts, long voidPixels, long images) {
        ConfusionMatrix m = new ConfusionMatrix(classes);
        if (counts.length != m.n) {
            throw new IllegalArgumentException("counts has " + counts.length + " rows, expected " + m.n + " (one per class)");
        }
        for (int g = 0; g < m.n; g++) {
            if (counts[g].length != m.n) {
                throw new IllegalArgumentException("counts row " + g + " has " + counts[g].length + " entries, expected "
                        + m.n);
            }
            for (int p = 0; p < m.n; p++) {
                if (counts[g][p] < 0) {
                    throw new IllegalArgumentException("count(" + g + ", " + p + ") must be >= 0, found " + counts[g][p]);
                }
                m.counts[g * m.n + p] = counts[g][p];
            }
        }
        if (voidPixels < 0 || images < 0) {
            throw new IllegalArgumentException("voidPixels and images must be >= 0, found " + voidPixels + " and "
                    + images);
        }
        m.voidPixels = voidPixels;
        m.images = images;
        return m;
    }

    /** The class list. */
    public ClassList classes() {
        return classes;
    }

    /** Number of classes (rows and columns). */
    public int size() {
        return n;
    }

    /**
     * Adds one image.
     *
     * @param groundTruth class ids 0..size-1, or {@link LabelMap#VOID} (ignored)
     * @param prediction  class ids 0..size-1 wherever the ground truth is not void; same size
     * @throws IllegalArgumentException when the sizes differ or an id is out of range (naming the pixel);
     *                                  the matrix is then unchanged
     */
    public ConfusionMatrix add(LabelMap groundTruth, LabelMap prediction) {
        Objects.requireNonNull(groundTruth, "groundTruth");
        Objects.requireNonNull(prediction, "prediction");
        if (groundTruth.width() != prediction.width() || groundTruth.height() != prediction.height()) {
            throw new IllegalArgumentException("Ground truth is " + groundTruth.width() + "x" + groundTruth.height()
                    + " but the prediction is " + prediction.width() + "x" + prediction.height());
        }
        return add(groundTruth.toArray(), prediction.toArray(), groundTruth.width());
    }

    /**
     * Adds one image given as flat row-major id arrays of equal length (see
     * {@link #add(LabelMap, LabelMap)}); {@code width} is used only to name pixels in messages.
     */
    public ConfusionMatrix add(int[] groundTruth, int[] prediction, int width) {
        if (groundTruth.length != prediction.length) {
            throw new IllegalArgumentException("Ground truth has " + groundTruth.length
                    + " pixels but the prediction has " + prediction.length);
        }
        if (width <= 0) {
            throw new IllegalArgumentException("width must be > 0, found " + width);
        }
        // validate first so that a bad image leaves the matrix unchanged
        for (int i = 0; i < groundTruth.length; i++) {
            int g = groundTruth[i];
            if (g == LabelMap.VOID) {
                continue;
            }
            if (g < 0 || g >= n) {
                throw new IllegalArgumentException("Ground-truth class id " + g + " at pixel (" + (i % width) + ", "
                        + (i / width) + ") is outside 0.." + (n - 1) + " (or 255 = void)");
            }
            int p = prediction[i];
            if (p < 0 || p >= n) {
                throw new IllegalArgumentException("Predicted class id " + p + " at pixel (" + (i % width) + ", "
                        + (i / width) + ") is outside 0.." + (n - 1));
            }
        }
        long voids = 0;
        for (int i = 0; i < groundTruth.length; i++) {
            int g = groundTruth[i];
            if (g == LabelMap.VOID) {
                voids++;
            } else {
                counts[g * n + prediction[i]]++;
            }
        }
        voidPixels += voids;
        images++;
        return this;
    }

    /**
     * Adds {@code other}'s counts into this matrix.
     *
     * @return this
     * @throws IllegalArgumentException when the class lists differ
     */
    public ConfusionMatrix merge(ConfusionMatrix other) {
        if (!classes.equals(other.classes)) {
            throw new IllegalArgumentException("Cannot merge confusion matrices over different classes: "
                    + classes.names() + " vs " + other.classes.names());
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        voidPixels += other.voidPixels;
        images += other.images;
        return this;
    }

    /** A new matrix with the same counts. */
    public ConfusionMatrix copy() {
        return new ConfusionMatrix(classes).merge(this);
    }

    /** Pixels with ground truth {@code groundTruth} predicted as {@code predicted}. */
    public long count(int groundTruth, int predicted) {
        if (groundTruth < 0 || groundTruth >= n || predicted < 0 || predicted >= n) {
            throw new IllegalArgumentException("Class ids must be in 0.." + (n - 1) + ", found (" + groundTruth + ", "
                    + predicted + ")");
        }
        return counts[groundTruth * n + predicted];
    }

    /** A copy of the counts, {@code [groundTruth][predicted]}. */
    public long[][] toArray() {
        long[][] out = new long[n][n];
        for (int g = 0; g < n; g++) {
            System.arraycopy(counts, g * n, out[g], 0, n);
        }
        return out;
    }

    /** Pixels counted (ground truth not void). */
    public long pixels() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** Ground-truth void pixels skipped. */
    public long voidPixels() {
        return voidPixels;
    }

    /** Images added (including merged ones). */
    public long images() {
        return images;
    }

    /** Scores with the default mean rule {@link SegmentationScores.MeanRule#PRESENT_CLASSES}. */
    public SegmentationScores scores() {
        return scores(SegmentationScores.MeanRule.PRESENT_CLASSES);
    }

    /** Scores (an immutable snapshot) under the given mIoU rule. */
    public SegmentationScores scores(SegmentationScores.MeanRule rule) {
        return new SegmentationScores(classes, toArray(), voidPixels, images, rule);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix[" + n + " classes, " + pixels() + " pixels, " + images + " images]";
    }
}
