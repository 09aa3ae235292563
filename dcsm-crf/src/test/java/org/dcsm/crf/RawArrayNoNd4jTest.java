package org.dcsm.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The raw-array path with ND4J absent from the class path: the {@code no-nd4j} surefire execution of this module runs
 * only this class (tag {@code no-nd4j}), with every {@code org.nd4j} and {@code org.bytedeco} artifact left off the
 * test class path (the default execution skips the tag). Everything here uses plain arrays: {@link CrfImage},
 * {@link UnaryEnergies#of(float[], UnaryLayout, int, int, int, int[])}, {@link DenseCrf#prepare}, the raw outputs of
 * {@link CrfSession}, and the exact reference on a {@link CrfInput} made of those.
 */
@Tag("no-nd4j")
class RawArrayNoNd4jTest {

    @Test
    void nd4jIsAbsent() {
        assertThatThrownBy(() -> Class.forName("org.nd4j.linalg.factory.Nd4j"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.nd4j.linalg.api.ndarray.INDArray"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    /**
     * The hand-checkable case of {@code DenseCrfTest.exactMeanFieldMatchesHandComputation} on raw arrays: two pixels
     * one apart, gaussian(sxy = 1, w = 1), no normalisation, Potts, one iteration. k = exp(-1/2), U_0 = (0, 1),
     * U_1 = (0.5, 0); Q_i(l) ∝ exp(-U_i(l) - k (1 - Q0_j(l))) gives 0.70087 and 0.44530 for label 0. The lattice
     * path (NONE is calibrated: the Gaussian term is summed exactly by the separable filter) gives the same.
     */
    @Test
    void handComputedMeanFieldStep() {
        float[] unary = {0f, 1f, 0.5f, 0f}; // pixel-major: pixel 0 (0, 1), pixel 1 (0.5, 0)
        UnaryEnergies u = UnaryEnergies.of(unary, UnaryLayout.PIXEL_MAJOR, 2, 2, 1, null);
        DenseCrf crf = DenseCrf.builder().gaussian(1, 1).normalization(KernelNormalization.NONE).iterations(1).build();
        CrfImage image = CrfImage.builder(2, 1).build();
        float[] exact;
        try (CrfSession s = ExactDenseCrf.of(crf).start(CrfInput.of(image, u))) {
            exact = s.run().marginals(null, UnaryLayout.LABEL_MAJOR);
        }
        float[] lattice = crf.marginals(crf.prepare(image), u, new float[4], UnaryLayout.LABEL_MAJOR);
        for (float[] q : new float[][] {exact, lattice}) {
            assertThat((double) q[0]).isCloseTo(0.70087, within(1e-4));
            assertThat((double) q[1]).isCloseTo(0.44530, within(1e-4));
            assertThat((double) (q[0] + q[2])).isCloseTo(1, within(1e-6));
            assertThat((double) (q[1] + q[3])).isCloseTo(1, within(1e-6));
        }
    }

    /** The paper's CRF on a 48×40 scene: lattice against the exact mean field, both from raw arrays, and reused. */
    @Test
    void paperCrfAgreesWithTheExactMeanFieldAndReusesItsLattices() {
        Scenes s = Scenes.make(48, 40, 4, 11, 1.0, 1.2);
        int n = s.width * s.height;
        byte[] bytes = new byte[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                bytes[3 * i + c] = (byte) Math.round(s.rgb[c * n + i]);
            }
        }
        CrfImage image = CrfImage.of(bytes, s.width, s.height);
        UnaryEnergies u = UnaryEnergies.of(s.unary, UnaryLayout.LABEL_MAJOR, s.labels, s.width, s.height, null);
        DenseCrf crf = DenseCrf.paper();
        PreparedImage p = crf.prepare(image);
        int[] lattice = crf.infer(p, u, new int[n]);
        int[] exact;
        try (CrfSession session = ExactDenseCrf.of(crf).start(CrfInput.of(image, u))) {
            exact = session.run().labels(null);
        }
        int same = 0;
        int truth = 0;
        for (int i = 0; i < n; i++) {
            same += lattice[i] == exact[i] ? 1 : 0;
            truth += lattice[i] == s.truth[i] ? 1 : 0;
        }
        assertThat((double) same / n).isGreaterThanOrEqualTo(0.97);
        assertThat((double) truth / n).isGreaterThan(0.5);
        // another weight on the same lattices, as the one-shot path
        DenseCrf strong = crf.toBuilder().compatibility(Compatibility.potts(3)).build();
        float[] reused = strong.marginals(p, u, null, UnaryLayout.PIXEL_MAJOR);
        float[] oneShot;
        try (CrfSession session = strong.start(CrfInput.of(image, u))) {
            oneShot = session.run().marginals(null, UnaryLayout.PIXEL_MAJOR);
        }
        assertThat(reused).containsExactly(oneShot);
    }
}
