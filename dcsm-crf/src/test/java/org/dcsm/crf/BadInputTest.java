package org.dcsm.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.function.Executable;

class BadInputTest {

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    private static INDArray image(int h, int w) {
        return Nd4j.valueArrayOf(new long[] {3, h, w}, 100f);
    }

    private static INDArray unary(int m, int h, int w) {
        return Nd4j.valueArrayOf(new long[] {m, h, w}, 0.5f);
    }

    @Test
    void unaryAndImageSizeMismatch() {
        assertThat(message(() -> DenseCrf.paper().infer(image(10, 12), UnaryEnergies.ofChannelIndices(unary(3, 10, 11)))))
                .contains("image is 12x10").contains("unary is 11x10");
    }

    @Test
    void nonFiniteEnergies() {
        INDArray u = unary(2, 4, 5);
        u.putScalar(new int[] {1, 2, 3}, Float.NaN);
        assertThat(message(() -> UnaryEnergies.ofChannelIndices(u))).isEqualTo("Non-finite value NaN in the unary energies (label, y, x) at index [1, 2, 3]");
        INDArray v = unary(2, 4, 5);
        v.putScalar(new int[] {0, 0, 1}, Float.POSITIVE_INFINITY);
        assertThat(message(() -> DenseCrf.paper().infer(image(4, 5), UnaryEnergies.ofChannelIndices(v)))).contains("Infinity").contains("at index [0, 0, 1]");
        INDArray w = unary(2, 4, 5);
        w.putScalar(new int[] {0, 0, 0}, Float.NEGATIVE_INFINITY);
        assertThat(message(() -> UnaryEnergies.ofChannelIndices(w))).contains("-Infinity");
    }

    @Test
    void zeroLabelsAndWrongRank() {
        assertThat(message(() -> UnaryEnergies.ofChannelIndices(Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 0, 4, 4))))
                .contains("M = 0");
        assertThat(message(() -> UnaryEnergies.ofChannelIndices(Nd4j.zeros(4, 4)))).contains("rank 3").contains("[4, 4]");
    }

    @Test
    void nonPositiveOrNonFiniteSigmasAndBadSettings() {
        assertThat(message(() -> DenseCrf.builder().gaussian(0, 1).build()))
                .isEqualTo("pairwise term 0 (gaussian): sxy must be > 0 and finite, found 0.0");
        assertThat(message(() -> DenseCrf.builder().gaussian(3, 1).bilateral(-30, 10, 1).build()))
                .isEqualTo("pairwise term 1 (bilateral): sxy must be > 0 and finite, found -30.0");
        assertThat(message(() -> DenseCrf.builder().bilateral(30, 0, 1).build()))
                .contains("srgb must be > 0 and finite, found 0.0");
        assertThat(message(() -> DenseCrf.builder().bilateral(30, Double.NaN, 1).build()))
                .contains("srgb must be > 0 and finite, found NaN");
        assertThat(message(() -> DenseCrf.builder().gaussian(Double.POSITIVE_INFINITY, 1).build()))
                .contains("sxy must be > 0 and finite, found Infinity");
        assertThat(message(() -> DenseCrf.builder().gaussian(3, -1).build()))
                .contains("weight must be >= 0 and finite, found -1.0");
        assertThat(message(() -> DenseCrf.builder().iterations(-1).build())).isEqualTo("iterations must be >= 0, found -1");
        assertThat(message(() -> DenseCrf.builder().threads(0).build())).isEqualTo("threads must be >= 1, found 0");
        assertThat(message(() -> DenseCrf.builder().exactPairBudget(-1).build()))
                .isEqualTo("exactPairBudget must be >= 0, found -1");
        assertThat(assertThrows(NullPointerException.class, () -> DenseCrf.builder().compatibility(null).build()))
                .hasMessage("compatibility");
        assertThat(assertThrows(NullPointerException.class, () -> DenseCrf.builder().normalization(null).build()))
                .hasMessage("normalization");
        assertThat(message(() -> DenseCrf.builder().features(" ", 1).build())).contains("feature name must not be blank");
        assertThat(message(() -> DenseCrf.builder().features("d", 1).features("d", 2).build()))
                .contains("'d' is used by two terms");
    }

    @Test
    void badCompatibilityShapes() {
        assertThat(message(() -> Compatibility.matrix(new double[][] {{0, 1}, {1, 0, 2}})))
                .contains("must be square").contains("row 1 has 3 columns");
        assertThat(message(() -> Compatibility.matrix(new double[0][]))).contains("at least one row");
        assertThat(message(() -> Compatibility.matrix(new double[][] {{0, Double.NaN}, {1, 0}})))
                .contains("entry (0, 1) must be finite, found NaN");
        assertThat(message(() -> Compatibility.diagonal())).contains("one value per label");
        assertThat(message(() -> Compatibility.potts(-2))).contains("found -2.0");
        DenseCrf crf = DenseCrf.paper().toBuilder()
                .compatibility(Compatibility.matrix(new double[][] {{0, 1}, {1, 0}})).build();
        assertThat(message(() -> crf.infer(image(4, 4), UnaryEnergies.ofChannelIndices(unary(3, 4, 4)))))
                .isEqualTo("The compatibility matrix is 2x2 but the unary has 3 labels");
        DenseCrf diag = DenseCrf.paper().toBuilder().compatibility(Compatibility.diagonal(1, 2)).build();
        assertThat(message(() -> diag.infer(image(4, 4), UnaryEnergies.ofChannelIndices(unary(3, 4, 4)))))
                .isEqualTo("The diagonal compatibility has 2 values but the unary has 3 labels");
    }

    @Test
    void nonRgbImages() {
        assertThat(message(() -> DenseCrf.paper().infer(Nd4j.zeros(1, 4, 4), UnaryEnergies.ofChannelIndices(unary(2, 4, 4)))))
                .contains("RGB tensor 3×H×W").contains("[1, 4, 4]");
        assertThat(message(() -> DenseCrf.paper().infer(Nd4j.zeros(4, 4), UnaryEnergies.ofChannelIndices(unary(2, 4, 4)))))
                .contains("RGB tensor 3×H×W").contains("[4, 4]");
        INDArray nan = image(4, 4);
        nan.putScalar(new int[] {2, 1, 1}, Float.NaN);
        assertThat(message(() -> DenseCrf.paper().infer(nan, UnaryEnergies.ofChannelIndices(unary(2, 4, 4))))).isEqualTo("Non-finite value NaN in the image at index [2, 1, 1]");
        assertThat(message(() -> CrfInput.builder().image(new byte[10], 2, 2))).contains("needs 12 interleaved bytes, found 10");
        assertThat(message(() -> CrfInput.builder().image(new byte[0], 0, 2))).contains("0x2");
    }

    @Test
    void missingInputsForTerms() {
        CrfInput noImage = CrfInput.builder().unary(UnaryEnergies.ofChannelIndices(unary(2, 3, 3))).build();
        assertThat(message(() -> DenseCrf.paper().infer(noImage))).contains("bilateral term").contains("no image");
        assertThat(message(() -> DenseCrf.builder().features("depth", 1).build().infer(noImage)))
                .contains("feature term 'depth'");
        assertThat(message(() -> CrfInput.builder().build())).contains("needs unary energies");
        assertThat(message(() -> CrfInput.builder().unary(UnaryEnergies.ofChannelIndices(unary(2, 3, 3)))
                .features("f", new float[8], 2).build())).contains("have 4 rows but the unary has 9 pixels");
        assertThat(message(() -> CrfInput.builder().features("f", new float[] {1, Float.NaN}, 1)))
                .isEqualTo("Non-finite value NaN in features 'f' (pixel, dimension) at index [1, 0]");
        assertThat(message(() -> CrfInput.builder().features("f", new float[5], 2))).contains("not a multiple");
        CrfInput huge = CrfInput.builder().unary(UnaryEnergies.ofChannelIndices(unary(2, 1, 2))).features("f", new float[] {0, 3e7f}, 1)
                .build();
        assertThat(message(() -> DenseCrf.builder().features("f", 1).build().infer(huge)))
                .contains("|f| <= 1000000.0").contains("found 3.0E7");
    }

    @Test
    void badUnaryHelpers() {
        INDArray p = Nd4j.valueArrayOf(new long[] {2, 2, 2}, 0.5f);
        assertThat(message(() -> UnaryEnergies.fromProbabilities(p, 0, new int[] {0, 1}))).contains("minProbability must be in (0, 1], found 0.0");
        INDArray q = p.dup();
        q.putScalar(new int[] {1, 1, 1}, 1.5f);
        assertThat(message(() -> UnaryEnergies.fromProbabilities(q, 1e-5, new int[] {0, 1}))).contains("found 1.5");
        assertThat(message(() -> UnaryEnergies.of(p, new int[] {0, 0}))).contains("Class id 0 appears twice");
        assertThat(message(() -> UnaryEnergies.of(p, new int[] {0}))).contains("one class id per label (2)");
        assertThat(message(() -> UnaryEnergies.of(p, new int[] {0, -3}))).contains("found -3");
        LabelMap labels = LabelMap.filled(2, 2, 0);
        assertThat(message(() -> UnaryEnergies.fromLabels(labels, new int[] {0, 1}, 1.0))).contains("(0, 1), found 1.0");
        assertThat(message(() -> UnaryEnergies.fromLabels(labels, new int[] {0}, 0.7))).contains("at least two class ids");
        INDArray maps = Nd4j.valueArrayOf(new long[] {1, 2, 2}, 1.2f);
        assertThat(message(() -> UnaryEnergies.fromClassMaps(ClassMaps.of(new int[] {3}, maps), 1e-5)))
                .contains("[0, 1]").contains("found 1.2 for class id 3");
    }

    @Test
    void closedSessionsAndExactSizeLimit() {
        CrfSession s = DenseCrf.paper().start(image(3, 3), UnaryEnergies.ofChannelIndices(unary(2, 3, 3)));
        s.close();
        assertThat(assertThrows(IllegalStateException.class, s::step).getMessage()).contains("closed");
        assertThat(message(() -> s.step(-1))).contains("count must be >= 0");
        assertThat(message(() -> ExactDenseCrf.of(DenseCrf.paper()).infer(image(256, 257), UnaryEnergies.ofChannelIndices(unary(2, 256, 257)))))
                .contains("at most 65536 pixels").contains("found 257x256 = 65792").contains("stepAt");
        CrfInput input = CrfInput.of(image(3, 4), UnaryEnergies.ofChannelIndices(unary(2, 3, 4)));
        ExactDenseCrf exact = ExactDenseCrf.of(DenseCrf.paper());
        assertThat(message(() -> exact.stepAt(input, Nd4j.zeros(3, 3, 4), new int[] {0})))
                .contains("Expected marginals 2x3x4").contains("found [3, 3, 4]");
        assertThat(message(() -> exact.stepAt(input, Nd4j.zeros(2, 3, 4), new int[] {12})))
                .contains("pixel index must be in [0, 12), found 12");
    }
}
