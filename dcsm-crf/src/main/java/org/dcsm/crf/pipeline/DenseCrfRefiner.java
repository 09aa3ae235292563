package org.dcsm.crf.pipeline;

import java.util.Objects;

import org.dcsm.core.ClassMaps;
import org.dcsm.core.pipeline.Refinement;
import org.dcsm.core.pipeline.Refiner;
import org.dcsm.crf.CrfInput;
import org.dcsm.crf.CrfResult;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.UnaryEnergies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The last step of DCSM for {@link org.dcsm.core.pipeline.DcsmPipeline}: the fully connected CRF
 * (paper §3.4, Eq. 6 and 8) on the unary {@code −log M} of the Eq. 7 maps ({@link ClassMaps#unary()},
 * floor 1e-5), by a {@link DenseCrf}. The refined probabilities are the CRF's mean-field marginals; the
 * labels its MAP labels, as class ids. Immutable and thread-safe (the CRF is).
 */
public final class DenseCrfRefiner implements Refiner {

    private final DenseCrf crf;

    private DenseCrfRefiner(DenseCrf crf) {
        this.crf = Objects.requireNonNull(crf, "crf");
    }

    /** A refiner running {@code crf}. */
    public static DenseCrfRefiner of(DenseCrf crf) {
        return new DenseCrfRefiner(crf);
    }

    /** The paper's CRF ({@link DenseCrf#paper()}). */
    public static DenseCrfRefiner paper() {
        return of(DenseCrf.paper());
    }

    /** The CRF this refiner runs. */
    public DenseCrf crf() {
        return crf;
    }

    @Override
    public Refinement refine(INDArray image, ClassMaps probabilities) {
        int[] ids = probabilities.classIds();
        CrfResult r = crf.solve(CrfInput.of(image, UnaryEnergies.of(probabilities.unary(), ids)));
        return new Refinement(ClassMaps.of(ids, r.marginals()), r.labels());
    }

    @Override
    public String toString() {
        return "DenseCrfRefiner[" + crf + "]";
    }
}
