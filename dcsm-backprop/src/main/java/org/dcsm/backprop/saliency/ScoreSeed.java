package org.dcsm.backprop.saliency;

/**
 * What is back-propagated from the class score map of candidate {@code c}.
 */
public enum ScoreSeed {
    /**
     * 1 at every position of channel {@code c} of the {@code K×h×w} score map, 0 elsewhere (paper
     * §3.3, "S_c(:,:,c) = 1"): the derivative of the sum of the class's scores over all positions.
     * The default.
     */
    SCORE_MAP,
    /**
     * 1 only at the position where channel {@code c} is largest (the first in row-major order on a
     * tie), 0 elsewhere: the derivative of the global-max-pooled class score S_c itself, i.e. exactly
     * Simonyan et al.'s gradient of the class score through the network's {@code gmp} layer.
     */
    GLOBAL_MAX
}
