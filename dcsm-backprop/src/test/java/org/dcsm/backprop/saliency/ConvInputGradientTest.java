package org.dcsm.backprop.saliency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Both ways of computing a convolution's input gradient (one GEMM plus col2im, and the forward
 * convolution with flipped kernels) against a direct loop over the definition
 * {@code dx[b,i,y,x] = sum_{o,ky,kx} w[o,i,ky,kx] · g[b,o,(y+p-ky)/s,(x+p-kx)/s]}, in double precision.
 */
class ConvInputGradientTest {

    @Test
    void samePaddedThreeByThree() {
        check(3, 1, 1, 9, 11, 4, 5, 2);
    }

    @Test
    void validSevenBySeven() {
        check(7, 0, 1, 10, 12, 3, 6, 2);
    }

    @Test
    void oneByOne() {
        check(1, 0, 1, 5, 4, 7, 3, 3);
    }

    @Test
    void stridedTruncatingConvolutionGetsZeroWhereTheForwardDidNotRead() {
        // 3×3 stride 2, no padding, on 10×9: reads rows 0..8 and columns 0..8 only
        int k = 3;
        int s = 2;
        INDArray w = rand(1, new long[] {4, 3, k, k});
        long oh = (10 - k) / s + 1;
        long ow = (9 - k) / s + 1;
        INDArray g = rand(2, new long[] {2, 4, oh, ow});
        FcnWalk.Geometry geo = new FcnWalk.Geometry(new int[] {k, k}, new int[] {s, s}, new int[] {0, 0}, false);
        INDArray ref = naive(g, w, k, 0, s, 10, 9);
        INDArray deconv = NdOps.convInputGradientByGemm(g, w, geo, 10, 9);
        assertThat(deconv.shape()).containsExactly(2, 3, 10, 9);
        assertThat(deconv.equalsWithEps(ref, 1e-10)).isTrue();
        assertThat(ref.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(9), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .amaxNumber().doubleValue()).isZero();
    }

    private static void check(int k, int p, int s, int h, int wd, int nOut, int nIn, int batch) {
        INDArray w = rand(1, new long[] {nOut, nIn, k, k});
        long oh = (h + 2L * p - k) / s + 1;
        long ow = (wd + 2L * p - k) / s + 1;
        INDArray g = rand(2, new long[] {batch, nOut, oh, ow});
        FcnWalk.Geometry geo = new FcnWalk.Geometry(new int[] {k, k}, new int[] {s, s}, new int[] {p, p}, false);
        INDArray ref = naive(g, w, k, p, s, h, wd);
        INDArray deconv = NdOps.convInputGradientByGemm(g, w, geo, h, wd);
        INDArray byConv = NdOps.convInputGradientByConv(g, NdOps.flipKernels(w), geo);
        assertThat(deconv.shape()).containsExactly(batch, nIn, h, wd);
        assertThat(byConv.shape()).containsExactly(batch, nIn, h, wd);
        assertThat(deconv.equalsWithEps(ref, 1e-10)).as("GEMM + col2im").isTrue();
        assertThat(byConv.equalsWithEps(ref, 1e-10)).as("conv2d with flipped kernels").isTrue();
        assertThat(w).isEqualTo(rand(1, new long[] {nOut, nIn, k, k})); // weights not modified
    }

    @Test
    void flippedKernelsAreTransposedAndReversed() {
        // w[o=0,i=1] = [[1,2],[3,4]] -> flipped[i=1,o=0] = [[4,3],[2,1]]
        INDArray w = Nd4j.zeros(DataType.DOUBLE, 1, 2, 2, 2);
        w.putScalar(new long[] {0, 1, 0, 0}, 1);
        w.putScalar(new long[] {0, 1, 0, 1}, 2);
        w.putScalar(new long[] {0, 1, 1, 0}, 3);
        w.putScalar(new long[] {0, 1, 1, 1}, 4);
        INDArray f = NdOps.flipKernels(w);
        assertThat(f.shape()).containsExactly(2, 1, 2, 2);
        assertThat(f.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                .dup('c').data().asDouble()).containsExactly(4, 3, 2, 1);
        assertThat(NdOps.flipKernels(w.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE)).isEqualTo(f);
    }

    private static INDArray rand(long seed, long[] shape) {
        return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(seed), shape).castTo(DataType.DOUBLE).subi(0.5);
    }

    private static INDArray naive(INDArray g, INDArray w, int k, int p, int s, int h, int wd) {
        int batch = (int) g.size(0);
        int nOut = (int) w.size(0);
        int nIn = (int) w.size(1);
        int oh = (int) g.size(2);
        int ow = (int) g.size(3);
        double[] gd = g.dup('c').data().asDouble();
        double[] wdat = w.dup('c').data().asDouble();
        double[] dx = new double[batch * nIn * h * wd];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < nOut; o++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double gv = gd[((b * nOut + o) * oh + oy) * ow + ox];
                        for (int i = 0; i < nIn; i++) {
                            for (int ky = 0; ky < k; ky++) {
                                int y = oy * s - p + ky;
                                for (int kx = 0; kx < k; kx++) {
                                    int x = ox * s - p + kx;
                                    if (y >= 0 && y < h && x >= 0 && x < wd) {
                                        dx[((b * nIn + i) * h + y) * wd + x] += gv * wdat[((o * nIn + i) * k + ky) * k + kx];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Nd4j.create(dx, new long[] {batch, nIn, h, wd}, DataType.DOUBLE);
    }
}
