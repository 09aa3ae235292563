package org.dcsm.crf.pipeline;

import java.util.Objects;

import org.dcsm.core.ClassMaps;
import org.dcsm.core.Unary;
import org.dcsm.core.pipeline.Refinement;
import org.dcsm.core.pipeline.Refiner;
import org.dcsm.crf.CrfInput;
import org.dcsm.crf.CrfSession;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.UnaryEnergies;
import org.dcsm.crf.UnaryLayout;
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

    /**
     * Runs the CRF on flat arrays from end to end: the unary {@code −log max(M, 1e-5)} of the single entry
     * ({@link Unary#defaults()}, the same numbers as {@link ClassMaps#unary()}), the session's marginals and labels;
     * no ND4J array is made besides what the caller passed.
     *
     * @throws IllegalStateException when {@code probabilities} has more than one entry
     */
    @Override
    public Refinement refine(INDArray image, ClassMaps probabilities) {
        int[] ids = probabilities.classIds();
        if (probabilities.entries().size() != 1) {
            probabilities.single(); // throws, naming the entries
        }
        ClassMaps.Entry e = probabilities.entries().get(0);
        float[] energies = e.toFloatArray();
        Unary.defaults().energies(energies, energies);
        UnaryEnergies unary = UnaryEnergies.of(energies, UnaryLayout.LABEL_MAJOR, ids.length, e.width(), e.height(),
                ids);
        try (CrfSession s = crf.start(CrfInput.of(image, unary))) {
            s.run();
            float[] marginals = s.marginals(null, UnaryLayout.LABEL_MAJOR);
            ClassMaps refined = ClassMaps.builder(ids).add(ClassMaps.NO_LAYER, 0, marginals, e.height(), e.width())
                    .build();
            return new Refinement(refined, s.labels());
        }
    }

    @Override
    public String toString() {
        return "DenseCrfRefiner[" + crf + "]";
    }
}
