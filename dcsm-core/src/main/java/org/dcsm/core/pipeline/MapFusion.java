package org.dcsm.core.pipeline;

import java.util.Objects;

import org.dcsm.core.ClassMaps;
import org.dcsm.core.MultiScaleAggregator;

/**
 * A replaceable Eq. 5 step: fuses the (distinct) maps of all layers and scales into one entry of the
 * image's size with values in [0, 1]. {@link #of(MultiScaleAggregator)} wraps dcsm-core's
 * {@link MultiScaleAggregator}: one aggregator, built once, serves every image (the size is per call).
 */
@FunctionalInterface
public interface MapFusion {

    /**
     * @param maps   class maps, one entry per layer and scale; not modified
     * @param height the image height
     * @param width  the image width
     * @return one entry of {@code height×width}, same class ids, values in [0, 1]
     */
    ClassMaps fuse(ClassMaps maps, int height, int width);

    /** Eq. 5 with the paper's alpha = 3 and per-map max normalisation, one thread ({@link MultiScaleAggregator#paper()}). */
    static MapFusion paper() {
        return of(MultiScaleAggregator.paper());
    }

    /** Eq. 5 by {@code aggregator}, resized to each image's size. */
    static MapFusion of(MultiScaleAggregator aggregator) {
        Objects.requireNonNull(aggregator, "aggregator");
        return aggregator::aggregate;
    }

    /**
     * Eq. 5 by a {@link MultiScaleAggregator} with these settings (built once, now), resized to each image's size.
     *
     * @throws IllegalArgumentException when alpha or threads is invalid (checked now, not per image)
     */
    static MapFusion eq5(double alpha, MultiScaleAggregator.Normalization normalization, int threads) {
        return of(MultiScaleAggregator.builder().alpha(alpha).normalization(normalization).threads(threads).build());
    }

    /**
     * @deprecated use {@link #eq5(double, MultiScaleAggregator.Normalization, int)} or {@link #of}
     */
    @Deprecated(forRemoval = true)
    static MapFusion eq5(double alpha, MultiScaleAggregator.Normalisation normalisation, int threads) {
        return eq5(alpha, Objects.requireNonNull(normalisation, "normalisation").toNormalization(), threads);
    }
}
