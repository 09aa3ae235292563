package org.dcsm.core.pipeline;

import org.dcsm.core.ClassMaps;
import org.dcsm.core.Unary;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The last step of DCSM (paper §3.4, Eq. 6–8): from the image and the per-class probabilities of
 * Eq. 7 (background first, values in [0, 1], one entry at the image size) to a segmentation. The
 * paper's refiner is the fully connected CRF with unary {@code −log M}: dcsm-crf's
 * {@code DenseCrfRefiner}. {@link #argmax()} is the "without CRF" variant.
 */
@FunctionalInterface
public interface Refiner {

    /**
     * @param image         {@code 3×H×W} RGB, float 0–255; not modified
     * @param probabilities the Eq. 7 maps with the background as class id 0, one {@code H×W} entry
     * @return the refined probabilities and labels (class ids)
     */
    Refinement refine(INDArray image, ClassMaps probabilities);

    /** No refinement: the labels are the per-pixel argmax of the maps ({@link Unary#argmax(ClassMaps)}). */
    static Refiner argmax() {
        return (image, probabilities) -> new Refinement(probabilities, Unary.argmax(probabilities));
    }
}
