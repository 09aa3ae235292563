package org.dcsm.backprop.saliency;

import org.dcsm.core.impl.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The operations the saliency walk needs, called directly (no DL4J layer, no workspace, no weight
 * gradient): libnd4j's {@code conv2d} and {@code maxpool2d}, one GEMM, and flat-array loops. All arrays
 * are NCHW; convolution weights are in DL4J's {@code [nOut, nIn, kH, kW]} layout, which libnd4j's
 * {@code conv2d} accepts as weight format 1 ({@code [oC, iC, kH, kW]}), so the network's parameter
 * views are used as they are. Every method returns a new array; inputs are not modified.
 *
 * <p>libnd4j's own transposed convolution ({@code deconv2d}) was measured 2-3× slower than both paths
 * used here for a convolution's input gradient, so it is not used.
 */
final class NdOps {

    private static final int NCHW = 0;
    private static final int WEIGHTS_OIHW = 1;

    private NdOps() {
    }

    /** Forward 2-D cross-correlation plus bias: {@code [B,nIn,H,W] -> [B,nOut,oH,oW]}. */
    static INDArray conv2d(INDArray x, INDArray w, INDArray bias, FcnWalk.Geometry g) {
        DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder("conv2d")
                .addInputs(bias == null ? new INDArray[] {x, w} : new INDArray[] {x, w, bias});
        b.addIntegerArguments(g.kH, g.kW, g.sH, g.sW, g.pH, g.pW, 1, 1, g.same ? 1 : 0, NCHW, WEIGHTS_OIHW);
        return Nd4j.exec(b.build())[0];
    }

    /**
     * The kernels of the "input gradient as a convolution": {@code w [nOut,nIn,kH,kW]} transposed to
     * {@code [nIn,nOut,kH,kW]} with both spatial axes reversed. A new array (a flat-array loop: libnd4j's
     * permute + reverse took seconds for VGG's kernels here).
     */
    static INDArray flipKernels(INDArray w) {
        int nOut = (int) w.size(0);
        int nIn = (int) w.size(1);
        int kh = (int) w.size(2);
        int kw = (int) w.size(3);
        int k2 = kh * kw;
        long[] shape = {nIn, nOut, kh, kw};
        if (w.dataType() == DataType.DOUBLE) {
            double[] src = NdArrays.toDoubles(w);
            double[] dst = new double[src.length];
            for (int o = 0; o < nOut; o++) {
                for (int i = 0; i < nIn; i++) {
                    int from = (o * nIn + i) * k2;
                    int to = (i * nOut + o) * k2;
                    for (int k = 0; k < k2; k++) {
                        dst[to + k2 - 1 - k] = src[from + k];
                    }
                }
            }
            return Nd4j.create(dst, shape, DataType.DOUBLE);
        }
        float[] src = NdArrays.toFloats(w);
        float[] dst = new float[src.length];
        for (int o = 0; o < nOut; o++) {
            for (int i = 0; i < nIn; i++) {
                int from = (o * nIn + i) * k2;
                int to = (i * nOut + o) * k2;
                for (int k = 0; k < k2; k++) {
                    dst[to + k2 - 1 - k] = src[from + k];
                }
            }
        }
        return Nd4j.create(dst, shape, 'c').castTo(w.dataType());
    }

    /**
     * The input gradient of a stride-1 convolution with padding {@code p}, computed as the forward
     * convolution of {@code gradOut [B,nOut,oH,oW]} with {@link #flipKernels flipped kernels} and
     * padding {@code k-1-p}: {@code [B,nIn,oH+k-1-2p,oW+k-1-2p]} = the input size.
     */
    static INDArray convInputGradientByConv(INDArray gradOut, INDArray flippedW, FcnWalk.Geometry g) {
        FcnWalk.Geometry full = new FcnWalk.Geometry(new int[] {g.kH, g.kW}, new int[] {1, 1},
                new int[] {g.kH - 1 - g.pH, g.kW - 1 - g.pW}, false);
        return conv2d(gradOut, flippedW, null, full);
    }

    /**
     * The input gradient of any convolution (stride, padding) as one GEMM and a col2im:
     * {@code cols = W^T · G} with {@code W [nOut, nIn·kH·kW]} (the parameter view, not copied) and
     * {@code G [nOut, B·oH·oW]}, then every column entry is added at the input position it was read
     * from. Used where the flipped-kernel convolution would need a far larger buffer (fc6's 7×7 kernel
     * over 4096 channels). Returns {@code [B,nIn,inH,inW]}; positions the forward never read get 0.
     */
    static INDArray convInputGradientByGemm(INDArray gradOut, INDArray w, FcnWalk.Geometry g, int inH, int inW) {
        int batch = (int) gradOut.size(0);
        int nOut = (int) w.size(0);
        int nIn = (int) w.size(1);
        int oh = (int) gradOut.size(2);
        int ow = (int) gradOut.size(3);
        INDArray g2 = batch == 1 ? gradOut.reshape('c', nOut, (long) oh * ow)
                : gradOut.permute(1, 0, 2, 3).dup('c').reshape('c', nOut, (long) batch * oh * ow);
        INDArray w2 = w.reshape('c', nOut, (long) nIn * g.kH * g.kW);
        INDArray cols = w2.transpose().mmul(g2); // [nIn·kH·kW, B·oH·oW]
        if (batch != 1) {
            g2.close(); // the permuted copy; with one candidate g2 is a view of gradOut
        }
        int padTop = g.pH;
        int padLeft = g.pW;
        long total = (long) batch * nIn * inH * inW;
        if (total > Integer.MAX_VALUE || cols.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Convolution gradient of " + total + " values exceeds 2^31");
        }
        int colW = batch * oh * ow;
        if (gradOut.dataType() == DataType.DOUBLE) {
            double[] c = NdArrays.toDoubles(cols);
            double[] out = new double[(int) total];
            for (int i = 0; i < nIn; i++) {
                for (int ky = 0; ky < g.kH; ky++) {
                    for (int kx = 0; kx < g.kW; kx++) {
                        int row = ((i * g.kH + ky) * g.kW + kx) * colW;
                        for (int b = 0; b < batch; b++) {
                            int outBase = (b * nIn + i) * inH * inW;
                            for (int oy = 0; oy < oh; oy++) {
                                int y = oy * g.sH - padTop + ky;
                                if (y < 0 || y >= inH) {
                                    continue;
                                }
                                int src = row + (b * oh + oy) * ow;
                                int dst = outBase + y * inW;
                                for (int ox = 0; ox < ow; ox++) {
                                    int x = ox * g.sW - padLeft + kx;
                                    if (x >= 0 && x < inW) {
                                        out[dst + x] += c[src + ox];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            cols.close();
            return Nd4j.create(out, new long[] {batch, nIn, inH, inW}, DataType.DOUBLE);
        }
        float[] c = NdArrays.toFloats(cols);
        float[] out = new float[(int) total];
        for (int i = 0; i < nIn; i++) {
            for (int ky = 0; ky < g.kH; ky++) {
                for (int kx = 0; kx < g.kW; kx++) {
                    int row = ((i * g.kH + ky) * g.kW + kx) * colW;
                    for (int b = 0; b < batch; b++) {
                        int outBase = (b * nIn + i) * inH * inW;
                        for (int oy = 0; oy < oh; oy++) {
                            int y = oy * g.sH - padTop + ky;
                            if (y < 0 || y >= inH) {
                                continue;
                            }
                            int src = row + (b * oh + oy) * ow;
                            int dst = outBase + y * inW;
                            for (int ox = 0; ox < ow; ox++) {
                                int x = ox * g.sW - padLeft + kx;
                                if (x >= 0 && x < inW) {
                                    out[dst + x] += c[src + ox];
                                }
                            }
                        }
                    }
                }
            }
        }
        cols.close();
        return Nd4j.create(out, new long[] {batch, nIn, inH, inW}, 'c').castTo(gradOut.dataType());
    }

    /** Max pooling {@code [B,C,H,W] -> [B,C,oH,oW]}. */
    static INDArray maxPool(INDArray x, FcnWalk.Geometry g) {
        DynamicCustomOp op = DynamicCustomOp.builder("maxpool2d").addInputs(x)
                .addIntegerArguments(g.kH, g.kW, g.sH, g.sW, g.pH, g.pW, 1, 1, g.same ? 1 : 0, 0, NCHW)
                .build();
        return Nd4j.exec(op)[0];
    }
}
