package org.dcsm.crf;

import org.dcsm.core.LabelMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The outcome of a dense-CRF inference: marginals Q ({@code M×H×W}) and the MAP labels. Immutable. */
public final class CrfResult {

    private final INDArray marginals;
    private final LabelMap labels;

    CrfResult(INDArray marginals, LabelMap labels) {
        this.marginals = marginals;
        this.labels = labels;
    }

    /** A copy of the marginals, {@code M×H×W} float; they sum to 1 over labels at every pixel. */
    public INDArray marginals() {
        return marginals.dup();
    }

    /** The MAP labels as class ids. */
    public LabelMap labels() {
        return labels;
    }
}
