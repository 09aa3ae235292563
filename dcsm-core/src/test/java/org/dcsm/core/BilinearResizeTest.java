package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BilinearResizeTest {

    private static float[] flat(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    @Test
    void upsamples2x2To4x4WithHalfPixelCentres() {
        // input [[0, 1], [2, 3]]; output coords (x+0.5)/2-0.5 = -0.25, 0.25, 0.75, 1.25 -> clamped 0, .25, .75, 1
        // value = 2*sy + sx (the input is linear), the same numbers PyTorch gives with align_corners=False
        INDArray in = Nd4j.create(new float[] {0, 1, 2, 3}, new long[] {1, 2, 2}, 'c');
        INDArray out = BilinearResize.resize(in, 4, 4);
        assertThat(out.shape()).containsExactly(1, 4, 4);
        assertThat(flat(out)).containsExactly(
                0.00f, 0.25f, 0.75f, 1.00f,
                0.50f, 0.75f, 1.25f, 1.50f,
                1.50f, 1.75f, 2.25f, 2.50f,
                2.00f, 2.25f, 2.75f, 3.00f);
    }

    @Test
    void downsamplesWithoutAntialiasing() {
        // 1x4 row [0, 1, 2, 3] -> 1x2: sample at (x+0.5)*2-0.5 = 0.5 and 2.5 -> 0.5 and 2.5
        INDArray in = Nd4j.create(new float[] {0, 1, 2, 3}, new long[] {1, 1, 4}, 'c');
        assertThat(flat(BilinearResize.resize(in, 1, 2))).containsExactly(0.5f, 2.5f);
        // 1x3 -> 1x2: (x+0.5)*1.5-0.5 = 0.25, 1.75 -> [10, 20, 40] gives 12.5, 35
        INDArray in3 = Nd4j.create(new float[] {10, 20, 40}, new long[] {1, 1, 3}, 'c');
        assertThat(flat(BilinearResize.resize(in3, 1, 2))).containsExactly(12.5f, 35f);
    }

    @Test
    void nonSquareAndPerChannel() {
        // channel 0: 1x2 [0, 4] -> 1x3: (x+0.5)*2/3-0.5 = -1/6, 0.5, 7/6 -> clamped 0, 0.5, 1 -> 0, 2, 4
        // channel 1: 1x2 [1, 1] stays 1
        INDArray in = Nd4j.create(new float[] {0, 4, 1, 1}, new long[] {2, 1, 2}, 'c');
        INDArray out = BilinearResize.resize(in, 2, 3);
        assertThat(out.shape()).containsExactly(2, 2, 3);
        assertThat(flat(out)).containsExactly(0, 2, 4, 0, 2, 4, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void sameSizeIsIdentityCopy() {
        Random rnd = new Random(7);
        float[] v = new float[3 * 5 * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat() * 10 - 5;
        }
        INDArray in = Nd4j.create(v, new long[] {3, 5, 4}, 'c');
        INDArray out = BilinearResize.resize(in, 5, 4);
        assertThat(flat(out)).containsExactly(v);
        out.putScalar(0, 99f);
        assertThat(in.getFloat(0)).isEqualTo(v[0]);
    }

    @Test
    void constantStaysConstant() {
        INDArray in = Nd4j.valueArrayOf(new long[] {2, 3, 7}, 0.3f, DataType.FLOAT);
        for (float value : flat(BilinearResize.resize(in, 11, 5))) {
            assertThat(value).isEqualTo(0.3f);
        }
    }

    @Test
    void acceptsViewsAndOtherTypesWithoutModifyingThem() {
        INDArray big = Nd4j.create(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, new long[] {2, 2, 2}, 'c');
        INDArray view = big.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .reshape(1, 2, 2);
        INDArray out = BilinearResize.resize(view, 4, 4);
        assertThat(out.dataType()).isEqualTo(DataType.FLOAT);
        // channel = [[4,5],[6,7]] = 4 + the 2x2 case above
        assertThat(out.getFloat(0, 1, 2)).isEqualTo(5.25f);
        assertThat(big.getDouble(1, 0, 0)).isEqualTo(4.0);
    }

    @Test
    void matchesNaiveDoubleReferenceOnRandomMaps() {
        Random rnd = new Random(42);
        int[][] sizes = {{7, 5, 19, 13}, {19, 13, 7, 5}, {4, 9, 4, 3}, {1, 1, 3, 2}, {6, 6, 31, 17}, {5, 8, 5, 8}};
        for (int[] s : sizes) {
            int c = 2;
            float[] src = new float[c * s[0] * s[1]];
            for (int i = 0; i < src.length; i++) {
                src[i] = rnd.nextFloat();
            }
            float[] got = BilinearResize.resize(src, c, s[0], s[1], null, s[2], s[3]);
            double[] want = naive(src, c, s[0], s[1], s[2], s[3]);
            for (int i = 0; i < got.length; i++) {
                assertThat((double) got[i]).as("size %s index %d", java.util.Arrays.toString(s), i)
                        .isCloseTo(want[i], within(1e-6));
            }
        }
    }

    /** Textbook bilinear with clamped half-pixel source coordinates, in double precision. */
    private static double[] naive(float[] src, int c, int ih, int iw, int oh, int ow) {
        double[] out = new double[c * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < oh; y++) {
                double sy = Math.min(Math.max((y + 0.5) * ih / oh - 0.5, 0), ih - 1);
                int y0 = (int) Math.floor(sy);
                int y1 = Math.min(y0 + 1, ih - 1);
                double fy = sy - y0;
                for (int x = 0; x < ow; x++) {
                    double sx = Math.min(Math.max((x + 0.5) * iw / ow - 0.5, 0), iw - 1);
                    int x0 = (int) Math.floor(sx);
                    int x1 = Math.min(x0 + 1, iw - 1);
                    double fx = sx - x0;
                    int b = ch * ih * iw;
                    double v = (1 - fy) * ((1 - fx) * src[b + y0 * iw + x0] + fx * src[b + y0 * iw + x1])
                            + fy * ((1 - fx) * src[b + y1 * iw + x0] + fx * src[b + y1 * iw + x1]);
                    out[ch * oh * ow + y * ow + x] = v;
                }
            }
        }
        return out;
    }

    @Test
    void writesIntoGivenOutput() {
        float[] dst = new float[4];
        float[] r = BilinearResize.resize(new float[] {0, 1, 2, 3}, 1, 1, 4, dst, 1, 4);
        assertThat(r).isSameAs(dst).containsExactly(0, 1, 2, 3);
    }

    @Test
    void sourceCoordinateFollowsConvention() {
        assertThat(BilinearResize.sourceCoordinate(0, 2, 4)).isEqualTo(0.0);
        assertThat(BilinearResize.sourceCoordinate(1, 2, 4)).isEqualTo(0.25);
        assertThat(BilinearResize.sourceCoordinate(3, 2, 4)).isEqualTo(1.0);
        assertThat(BilinearResize.sourceCoordinate(1, 4, 2)).isEqualTo(2.5);
    }

    @Test
    void rejectsBadInput() {
        INDArray ok = Nd4j.zeros(DataType.FLOAT, 1, 2, 2);
        assertThat(assertThrows(IllegalArgumentException.class, () -> BilinearResize.resize(Nd4j.zeros(2, 2), 4, 4)))
                .hasMessageContaining("rank 3").hasMessageContaining("[2, 2]");
        assertThat(assertThrows(IllegalArgumentException.class, () -> BilinearResize.resize(ok, 0, 4)))
                .hasMessage("outHeight must be > 0, found 0");
        assertThat(assertThrows(IllegalArgumentException.class, () -> BilinearResize.resize(ok, 4, -3)))
                .hasMessage("outWidth must be > 0, found -3");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> BilinearResize.resize(Nd4j.zeros(DataType.FLOAT, 1, 0, 2), 4, 4)))
                .hasMessageContaining("non-empty").hasMessageContaining("[1, 0, 2]");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> BilinearResize.resize(new float[5], 1, 2, 2, null, 3, 3)))
                .hasMessageContaining("found 5");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> BilinearResize.resize(new float[4], 1, 2, 2, new float[8], 3, 3)))
                .hasMessageContaining("dst must hold").hasMessageContaining("found 8");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> BilinearResize.resize(new float[4], 0, 2, 2, null, 3, 3)))
                .hasMessage("channels must be > 0, found 0");
    }
}
