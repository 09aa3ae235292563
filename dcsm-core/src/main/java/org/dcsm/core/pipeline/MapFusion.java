package org.dcsm.core.pipeline;

import org.dcsm.core.ClassMaps;
import org.dcsm.core.MultiScaleAggregator;

/**
 * A replaceable Eq. 5 step: fuses the (distinct) maps of all layers and scales into one entry of the
 * image's size with values in [0, 1]. {@link #eq5(double, MultiScaleAggregator.Normalisation, int)}
 * builds it from dcsm-core's {@link MultiScaleAggregator}.
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

    /** Eq. 5 with the paper's alpha = 3 and per-map max normalisation, one thread. */
    static MapFusion paper() {
        return eq5(MultiScaleAggregator.DEFAULT_ALPHA, MultiScaleAggregator.Normalisation.MAX, 1);
    }

    /**
     * Eq. 5 by {@link MultiScaleAggregator} with these settings, resized to each image's size.
     *
     * @throws IllegalArgumentException when alpha or threads is invalid (checked now, not per image)
     */
    static MapFusion eq5(double alpha, MultiScaleAggregator.Normalisation normalisation, int threads) {
        MultiScaleAggregator.Builder check = MultiScaleAggregator.builder().alpha(alpha).normalisation(normalisation)
                .threads(threads).outputSize(1, 1);
        check.build();
        return (maps, height, width) -> MultiScaleAggregator.builder().alpha(alpha).normalisation(normalisation)
                .threads(threads).outputSize(height, width).build().aggregate(maps);
    }
}
