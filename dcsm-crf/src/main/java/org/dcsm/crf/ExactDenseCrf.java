package org.dcsm.crf;

import java.util.Objects;

import org.dcsm.core.LabelMap;
import org.dcsm.crf.impl.ExactGaussianFilter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The same mean-field inference as a {@link DenseCrf} configuration, with the message passing done exactly:
 * full O(N²) sums {@code sum_{j != i} exp(-|f_i - f_j|^2 / 2) Q_j} from a precomputed kernel matrix instead
 * of the permutohedral lattice. A reference for testing and for measuring the lattice's approximation on
 * small images (at most {@link ExactGaussianFilter#MAX_PIXELS} pixels; {@code 4 N²} bytes per term).
 * Immutable and thread-safe to share.
 */
public final class ExactDenseCrf {

    private final DenseCrf config;

    private ExactDenseCrf(DenseCrf config) {
        this.config = config;
    }

    /** An exact CRF with the terms, compatibility, normalisation, iterations and threads of {@code config}. */
    public static ExactDenseCrf of(DenseCrf config) {
        return new ExactDenseCrf(Objects.requireNonNull(config, "config"));
    }

    /** The configuration whose model this computes exactly. */
    public DenseCrf config() {
        return config;
    }

    /**
     * A step-wise exact inference; close it.
     *
     * @throws IllegalArgumentException when the image has more than {@link ExactGaussianFilter#MAX_PIXELS}
     *                                  pixels, or as {@link DenseCrf#start(CrfInput)}
     */
    public CrfSession start(CrfInput input) {
        return config.open(input, true);
    }

    /** Marginals and MAP labels after the configured iterations. */
    public CrfResult solve(CrfInput input) {
        try (CrfSession s = start(input)) {
            s.run();
            return s.result();
        }
    }

    /** MAP labels (label index = class id) for an image {@code 3×H×W} and unary {@code M×H×W}. */
    public LabelMap infer(INDArray image, INDArray unary) {
        return solve(CrfInput.of(image, unary)).labels();
    }

    /** Marginals ({@code M×H×W}, new array) for an image {@code 3×H×W} and unary {@code M×H×W}. */
    public INDArray marginals(INDArray image, INDArray unary) {
        return solve(CrfInput.of(image, unary)).marginals();
    }
}
