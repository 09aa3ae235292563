package org.dcsm.backprop.saliency;

import java.util.Arrays;

import org.dcsm.core.ClassMaps;

/**
 * What {@link SaliencyExtractor#extract} found for one image: the network's class scores, the chosen
 * candidate classes, and the raw class saliency maps {@code M_i^c} of paper Eq. 3 for every requested
 * layer {@code i} and scale, each already up-sampled to the original image size.
 *
 * <p>The maps are a {@link ClassMaps} whose channel {@code j} is candidate {@link #classIds()}{@code [j]}
 * (class ids as in {@link org.dcsm.core.ClassList}: network channel {@code k} is class id {@code k+1}),
 * with one entry per (layer, scale) in the order scales × requested layers. They feed
 * {@code ClassMapSubtractor} (Eq. 4) and {@code MultiScaleAggregator} (Eq. 5) of dcsm-core.
 *
 * <p>A result may be empty: when {@code minCandidates(0)} is configured and no class scores above the
 * threshold, there is nothing to segment ({@link #isEmpty()}; {@link #maps()} then throws).
 *
 * <p>Immutable: every accessor returns a copy or an immutable object.
 */
public final class SaliencyResult {

    private final double[] scores;
    private final int[] classIds;
    private final int[] scales;
    private final int imageHeight;
    private final int imageWidth;
    private final ClassMaps maps;

    SaliencyResult(double[] scores, int[] classIds, int[] scales, int imageHeight, int imageWidth, ClassMaps maps) {
        this.scores = scores.clone();
        this.classIds = classIds.clone();
        this.scales = scales.clone();
        this.imageHeight = imageHeight;
        this.imageWidth = imageWidth;
        this.maps = maps;
    }

    /**
     * The class scores {@code S_k} (before the sigmoid), one per network channel {@code k} (class id
     * {@code k+1}): the global max of the score map (Eq. 1), and with several scales the max over
     * the scales. A copy.
     */
    public double[] scores() {
        return scores.clone();
    }

    /** The class probabilities {@code sigmoid(S_k)} (Eq. 2), one per network channel. A copy. */
    public double[] probabilities() {
        double[] p = new double[scores.length];
        for (int k = 0; k < p.length; k++) {
            p[k] = 1.0 / (1.0 + Math.exp(-scores[k]));
        }
        return p;
    }

    /** The candidate class ids (≥ 1), ascending; the channel order of {@link #maps()}. A copy. */
    public int[] classIds() {
        return classIds.clone();
    }

    /** The input sizes (longest side, pixels) the maps were computed at. A copy. */
    public int[] scales() {
        return scales.clone();
    }

    /** Height of the original input, the height of every map. */
    public int imageHeight() {
        return imageHeight;
    }

    /** Width of the original input, the width of every map. */
    public int imageWidth() {
        return imageWidth;
    }

    /** Whether no candidate class was selected (only possible with {@code minCandidates(0)}). */
    public boolean isEmpty() {
        return maps == null;
    }

    /**
     * The raw class saliency maps, one {@code C×H×W} entry per (layer, scale), values ≥ 0.
     *
     * @throws IllegalStateException when the result {@link #isEmpty()}
     */
    public ClassMaps maps() {
        if (maps == null) {
            throw new IllegalStateException("No candidate class was selected (no class probability above the "
                    + "threshold and minCandidates = 0), so there are no class maps; check isEmpty() first");
        }
        return maps;
    }

    @Override
    public String toString() {
        return "SaliencyResult[classIds=" + Arrays.toString(classIds) + ", scales=" + Arrays.toString(scales)
                + ", image=" + imageHeight + "x" + imageWidth + ", maps=" + maps + "]";
    }
}
