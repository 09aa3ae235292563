package org.dcsm.core.pipeline;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Steps 1–3 of DCSM (paper §3.2–3.3): from an image to its candidate classes and their raw class maps
 * (Eq. 3), per layer and scale. The engine lives behind this interface: dcsm-backprop's
 * {@code SaliencyClassMapSource} uses guided backprop on a DL4J network; the Simonyan baseline is a
 * source whose maps are input gradients.
 *
 * <p>Contract: every entry of {@link SourceResult#rawMaps()} covers exactly the image's extent (a
 * source that pads or rescales the image must undo that), values ≥ 0 and finite.
 */
@FunctionalInterface
public interface ClassMapSource {

    /**
     * @param image {@code 3×H×W} RGB, float 0–255; not modified
     * @return the candidates and their raw maps
     */
    SourceResult extract(INDArray image);
}
