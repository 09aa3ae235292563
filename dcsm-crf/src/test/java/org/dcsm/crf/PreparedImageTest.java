package org.dcsm.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dcsm.crf.DenseCrfTest.assertBitwiseEqual;

import org.junit.jupiter.api.Test;

/**
 * {@link PreparedImage}: a CRF run on built filters gives bitwise the results of the one-shot path, for other unaries,
 * weights, compatibilities, normalisations and iterations, and builds nothing it already has.
 */
class PreparedImageTest {

    private static CrfImage image(Scenes s) {
        return CrfImage.builder(s.width, s.height).rgbPlanar(s.rgb).build();
    }

    private static UnaryEnergies unary(Scenes s) {
        return UnaryEnergies.of(s.unary, UnaryLayout.LABEL_MAJOR, s.labels, s.width, s.height, null);
    }

    /** The marginals of the one-shot path ({@link DenseCrf#solve(CrfInput)}), label-major. */
    private static float[] oneShot(DenseCrf crf, CrfImage image, UnaryEnergies u) {
        try (CrfSession s = crf.start(CrfInput.of(image, u))) {
            return s.run().marginals(null, UnaryLayout.LABEL_MAJOR);
        }
    }

    private static float[] reused(DenseCrf crf, PreparedImage p, UnaryEnergies u) {
        return crf.marginals(p, u, null, UnaryLayout.LABEL_MAJOR);
    }

    /** {@code crf} on the prepared image gives the one-shot path's marginals bitwise. */
    private static void assertReuseIsOneShot(DenseCrf crf, PreparedImage p, CrfImage image, UnaryEnergies u) {
        assertBitwiseEqual(reused(crf, p, u), oneShot(crf, image, u));
    }

    private static DenseCrf paper(double w1, double w2, KernelNormalization mode) {
        return DenseCrf.builder().bilateral(30, 10, w1).gaussian(3, w2).normalization(mode).iterations(5).build();
    }

    @Test
    void reusedLatticesGiveTheOneShotResultsBitwise() {
        Scenes a = Scenes.make(64, 48, 5, 31, 1.0, 1.2);
        Scenes b = Scenes.make(64, 48, 5, 32, 0.5, 1.5); // another unary on the same image
        CrfImage image = image(a);
        PreparedImage p = paper(1, 1, KernelNormalization.SYMMETRIC).prepare(image);
        assertThat(p.filters()).isEqualTo(2);
        long points = p.latticePoints();
        assertThat(points).isPositive();
        double[][] weights = {{1, 1}, {3, 1}, {5, 3}, {0.5, 0}};
        KernelNormalization[] lattices = {KernelNormalization.SYMMETRIC, KernelNormalization.AFTER,
                KernelNormalization.BEFORE};
        for (UnaryEnergies u : new UnaryEnergies[] {unary(a), unary(b)}) {
            for (double[] w : weights) {
                for (KernelNormalization mode : lattices) {
                    DenseCrf crf = paper(w[0], w[1], mode);
                    assertReuseIsOneShot(crf, p, image, u);
                }
            }
            DenseCrf potts2 = paper(1, 1, KernelNormalization.SYMMETRIC).toBuilder()
                    .compatibility(Compatibility.potts(2)).iterations(7).build();
            assertReuseIsOneShot(potts2, p, image, u);
        }
        // the lattice modes ran on the two lattices built by prepare, nothing else
        assertThat(p.filters()).isEqualTo(2);
        assertThat(p.latticePoints()).isEqualTo(points);
    }

    /**
     * The calibrated modes sum the Gaussian term exactly (separable) and the bilateral one exactly in its window at
     * this size: those filters are built on first use and kept; MEAN then needs nothing new.
     */
    @Test
    void calibratedModesAddTheirExactFiltersOnceAndMatchTheOneShotPath() {
        Scenes a = Scenes.make(48, 40, 4, 33, 1.0, 1.2);
        CrfImage image = image(a);
        UnaryEnergies u = unary(a);
        PreparedImage p = paper(1, 1, KernelNormalization.SYMMETRIC).prepare(image);
        for (KernelNormalization mode : new KernelNormalization[] {KernelNormalization.NONE, KernelNormalization.MEAN}) {
            for (double w : new double[] {0.1, 1}) {
                DenseCrf crf = paper(w, w, mode);
                assertReuseIsOneShot(crf, p, image, u);
            }
        }
        assertThat(p.filters()).isEqualTo(4); // 2 lattices + separable Gaussian + windowed bilateral
    }

    /** Over the exact pair budget, NONE runs the prepared bilateral lattice times its calibration gain. */
    @Test
    void noneModeOnTheLatticeReusesItWithItsGain() {
        Scenes a = Scenes.make(48, 40, 4, 34, 1.0, 1.2);
        CrfImage image = image(a);
        UnaryEnergies u = unary(a);
        PreparedImage p = paper(1, 1, KernelNormalization.SYMMETRIC).prepare(image);
        for (double w : new double[] {0.1, 1, 3}) {
            DenseCrf crf = paper(w, 1, KernelNormalization.NONE).toBuilder().exactPairBudget(0).build();
            assertReuseIsOneShot(crf, p, image, u);
        }
        assertThat(p.filters()).isEqualTo(3); // the separable Gaussian is the only new filter
    }

    @Test
    void otherBandwidthsAreBuiltOnFirstUseAndOtherThreadsGiveTheSameResult() {
        Scenes a = Scenes.make(40, 40, 3, 35, 1.0, 1.2);
        CrfImage image = image(a);
        UnaryEnergies u = unary(a);
        PreparedImage p = paper(1, 1, KernelNormalization.SYMMETRIC).toBuilder().threads(2).build().prepare(image);
        assertThat(p.threads()).isEqualTo(2);
        DenseCrf other = DenseCrf.builder().bilateral(10, 5, 1).gaussian(3, 1).build();
        assertReuseIsOneShot(other, p, image, u);
        assertThat(p.filters()).isEqualTo(3); // the Gaussian is shared, bilateral(10, 5) is new
        DenseCrf paper1 = paper(1, 1, KernelNormalization.SYMMETRIC);
        assertReuseIsOneShot(paper1, p, image, u); // filters of 2 threads, CRF of 1
    }

    @Test
    void oneSessionAtATime() {
        Scenes a = Scenes.make(20, 16, 3, 36, 1.0, 1.2);
        DenseCrf crf = paper(1, 1, KernelNormalization.SYMMETRIC);
        PreparedImage p = crf.prepare(image(a));
        try (CrfSession s = crf.start(p, unary(a))) {
            s.step();
            assertThatThrownBy(() -> crf.start(p, unary(a))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by an open CRF session");
        }
        try (CrfSession s = crf.start(p, unary(a))) {
            assertThat(s.run().iterations()).isEqualTo(5);
        }
    }

    @Test
    void badInputsAreNamed() {
        Scenes a = Scenes.make(20, 16, 3, 37, 1.0, 1.2);
        DenseCrf crf = paper(1, 1, KernelNormalization.SYMMETRIC);
        PreparedImage p = crf.prepare(image(a));
        UnaryEnergies wrongSize = UnaryEnergies.of(new float[3 * 16 * 16], UnaryLayout.LABEL_MAJOR, 3, 16, 16, null);
        assertThatThrownBy(() -> crf.start(p, wrongSize)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The prepared image is 20x16 (W×H) but the unary is 16x16");
        assertThatThrownBy(() -> crf.prepare(CrfImage.builder(20, 16).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has a bilateral term");
        DenseCrf matrix = crf.toBuilder().compatibility(Compatibility.diagonal(1, 1)).build();
        assertThatThrownBy(() -> matrix.start(p, unary(a))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("diagonal compatibility has 2 values but the unary has 3 labels");
        // a failed start leaves the prepared image free
        assertThat(crf.infer(p, unary(a), null)).hasSize(20 * 16);
    }
}
