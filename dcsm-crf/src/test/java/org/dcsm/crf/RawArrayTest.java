package org.dcsm.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dcsm.crf.DenseCrfTest.assertBitwiseEqual;

import org.junit.jupiter.api.Test;

/** The raw-array path against the tensor path, and its input checks (ND4J present; see {@link RawArrayNoNd4jTest}). */
class RawArrayTest {

    private static float[] pixelMajor(float[] labelMajor, int m, int n) {
        float[] pm = new float[labelMajor.length];
        for (int l = 0; l < m; l++) {
            for (int i = 0; i < n; i++) {
                pm[i * m + l] = labelMajor[l * n + i];
            }
        }
        return pm;
    }

    private static byte[] interleavedBytes(Scenes s) {
        int n = s.width * s.height;
        byte[] b = new byte[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                b[3 * i + c] = (byte) Math.round(s.rgb[c * n + i]);
            }
        }
        return b;
    }

    @Test
    void bothLayoutsAndBytesGiveTheTensorPathsResultsBitwise() {
        Scenes s = Scenes.make(40, 30, 6, 41, 1.0, 1.2);
        int n = s.width * s.height;
        DenseCrf crf = DenseCrf.paper();
        byte[] bytes = interleavedBytes(s);
        CrfResult tensor = crf.solve(CrfInput.builder().image(bytes, s.width, s.height)
                .unary(UnaryEnergies.ofChannelIndices(s.unaryArray())).build());
        float[] expected = tensor.marginals().data().asFloat(); // M×H×W
        PreparedImage p = crf.prepare(CrfImage.of(bytes, s.width, s.height));
        UnaryEnergies labelMajor = UnaryEnergies.of(s.unary, UnaryLayout.LABEL_MAJOR, s.labels, s.width, s.height,
                null);
        UnaryEnergies pixMajor = UnaryEnergies.of(pixelMajor(s.unary, s.labels, n), UnaryLayout.PIXEL_MAJOR, s.labels,
                s.width, s.height, null);
        float[] out = new float[s.labels * n];
        assertThat(crf.marginals(p, labelMajor, out, UnaryLayout.LABEL_MAJOR)).isSameAs(out);
        assertBitwiseEqual(out, expected);
        assertBitwiseEqual(crf.marginals(p, pixMajor, null, UnaryLayout.PIXEL_MAJOR),
                pixelMajor(expected, s.labels, n));
        int[] labels = new int[n];
        assertThat(crf.infer(p, pixMajor, labels)).isSameAs(labels).containsExactly(tensor.labels().toArray());
        // energies back out in both layouts
        assertBitwiseEqual(pixMajor.energies(null, UnaryLayout.LABEL_MAJOR), s.unary);
        assertBitwiseEqual(labelMajor.energies(null, UnaryLayout.PIXEL_MAJOR), pixelMajor(s.unary, s.labels, n));
    }

    @Test
    void probabilitiesAndClassIds() {
        float[] p = {0.9f, 0f, 0.1f, 1f}; // label-major, 2 labels over 2×1 pixels
        UnaryEnergies u = UnaryEnergies.fromProbabilities(p, UnaryLayout.LABEL_MAJOR, 2, 2, 1, 1e-5, new int[] {0, 7});
        float[] e = u.energies(null, UnaryLayout.LABEL_MAJOR);
        assertThat(e[0]).isEqualTo((float) -Math.log(0.9f));
        assertThat(e[1]).isEqualTo((float) -Math.log(1e-5));
        assertThat(e[3] == 0f).isTrue();
        DenseCrf none = DenseCrf.builder().gaussian(1, 0).build();
        assertThat(none.infer(none.prepare(CrfImage.builder(2, 1).build()), u, null)).containsExactly(0, 7);
    }

    @Test
    void badRawInputsAreNamed() {
        float[] six = new float[6];
        assertThatThrownBy(() -> UnaryEnergies.of(six, UnaryLayout.LABEL_MAJOR, 2, 2, 2, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("energies: 2 labels over 2x2 pixels need 8 values, found 6");
        float[] nan = new float[8];
        nan[5] = Float.NaN;
        assertThatThrownBy(() -> UnaryEnergies.of(nan, UnaryLayout.PIXEL_MAJOR, 2, 2, 2, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Non-finite value NaN in energies (y, x, label) at index [1, 0, 1]");
        assertThatThrownBy(() -> UnaryEnergies.of(nan, UnaryLayout.LABEL_MAJOR, 0, 2, 2, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("labels must be >= 1, found 0");
        assertThatThrownBy(() -> UnaryEnergies.of(nan, UnaryLayout.LABEL_MAJOR, 2, 0, 2, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Image size must be positive, found width 0, height 2");
        float[] p = {0.5f, 0.5f, 1.5f, 0f};
        assertThatThrownBy(() -> UnaryEnergies.fromProbabilities(p, UnaryLayout.LABEL_MAJOR, 2, 2, 1, 1e-5, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("probabilities must lie in [0, 1], found 1.5 for label 1 at pixel (0, 0)");
        assertThatThrownBy(() -> UnaryEnergies.fromProbabilities(p, UnaryLayout.LABEL_MAJOR, 2, 2, 1, 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("minProbability must be in (0, 1], found 0.0");
        assertThatThrownBy(() -> CrfImage.of(new byte[11], 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rgbInterleaved: an RGB image of 2x2 needs 12 bytes, found 11");
        float[] rgb = new float[12];
        rgb[7] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> CrfImage.builder(2, 2).rgbPlanar(rgb)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Non-finite value Infinity in rgbPlanar at index [1, 1, 1]");
        assertThatThrownBy(() -> CrfImage.builder(2, 2).features("depth", new float[3], 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Features 'depth' have 3 rows but the image has 4 pixels (2x2)");

        DenseCrf crf = DenseCrf.builder().gaussian(1, 1).iterations(1).build();
        PreparedImage prepared = crf.prepare(CrfImage.builder(2, 2).build());
        UnaryEnergies u = UnaryEnergies.of(new float[8], UnaryLayout.LABEL_MAJOR, 2, 2, 2, null);
        assertThatThrownBy(() -> crf.marginals(prepared, u, new float[7], UnaryLayout.LABEL_MAJOR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("marginals out: 2 labels over 2x2 pixels need 8 floats, found 7");
        assertThatThrownBy(() -> crf.infer(prepared, u, new int[5])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("labels out: 2x2 pixels need 4 ints, found 5");
        assertThatThrownBy(() -> u.energies(new float[9], UnaryLayout.PIXEL_MAJOR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("out: 2 labels over 2x2 pixels need 8 floats, found 9");
    }
}
