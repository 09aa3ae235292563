package org.dcsm.core.pipeline;

import java.util.Objects;

import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;

/**
 * What a {@link Refiner} returns for one image: the per-class probabilities after refinement (for a
 * dense CRF its mean-field marginals; one entry, same class ids and size as the input maps) and the
 * segmentation (class ids, the argmax of those probabilities or the refiner's own decision).
 * Immutable.
 */
public record Refinement(ClassMaps probabilities, LabelMap labels) {

    /** @throws IllegalArgumentException when the label map's size differs from the maps' */
    public Refinement {
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(labels, "labels");
        ClassMaps.Entry e = probabilities.entries().get(0);
        if (e.width() != labels.width() || e.height() != labels.height()) {
            throw new IllegalArgumentException("Refined labels are " + labels.width() + "x" + labels.height()
                    + " but the probabilities are " + e.width() + "x" + e.height());
        }
    }
}
