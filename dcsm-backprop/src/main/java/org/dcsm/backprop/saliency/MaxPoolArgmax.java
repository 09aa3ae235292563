package org.dcsm.backprop.saliency;

import org.dcsm.core.impl.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Max pooling of a single image {@code [1,C,H,W]} that also records, for every output position, the
 * flat index (within its channel plane) of the input element that won — the first maximum in
 * row-major window order — so that the backward pass of every candidate routes its gradient there
 * without repeating the forward input per candidate. Padding never wins (it acts as −∞).
 * Hot loops on flat primitive arrays; float and double networks are supported.
 */
final class MaxPoolArgmax {

    /** The pooled output {@code [1,C,oH,oW]} (network data type). */
    final INDArray output;
    /** {@code argmax[c*oH*oW + o]} = flat index {@code y*W + x} in channel {@code c} of the input. */
    final int[] argmax;
    final int channels;
    final int inH;
    final int inW;
    final int outH;
    final int outW;

    private MaxPoolArgmax(INDArray output, int[] argmax, int channels, int inH, int inW, int outH, int outW) {
        this.output = output;
        this.argmax = argmax;
        this.channels = channels;
        this.inH = inH;
        this.inW = inW;
        this.outH = outH;
        this.outW = outW;
    }

    static MaxPoolArgmax forward(INDArray x, FcnWalk.Geometry g) {
        int c = (int) x.size(1);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        int oh = (int) g.outH(h);
        int ow = (int) g.outW(w);
        // DL4J / libnd4j "Same" mode: the top/left padding is half the total (rounded down)
        int padTop = g.same ? Math.max(0, ((oh - 1) * g.sH + g.kH - h) / 2) : g.pH;
        int padLeft = g.same ? Math.max(0, ((ow - 1) * g.sW + g.kW - w) / 2) : g.pW;
        int[] arg = new int[c * oh * ow];
        INDArray out;
        if (x.dataType() == DataType.DOUBLE) {
            double[] in = NdArrays.toDoubles(x);
            double[] o = new double[arg.length];
            for (int ch = 0; ch < c; ch++) {
                int base = ch * h * w;
                for (int oy = 0; oy < oh; oy++) {
                    int y0 = oy * g.sH - padTop;
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = ox * g.sW - padLeft;
                        double best = Double.NEGATIVE_INFINITY;
                        int bestIdx = -1;
                        for (int ky = Math.max(0, -y0); ky < g.kH && y0 + ky < h; ky++) {
                            int row = (y0 + ky) * w;
                            for (int kx = Math.max(0, -x0); kx < g.kW && x0 + kx < w; kx++) {
                                double v = in[base + row + x0 + kx];
                                if (v > best || bestIdx < 0) {
                                    best = v;
                                    bestIdx = row + x0 + kx;
                                }
                            }
                        }
                        int oi = (ch * oh + oy) * ow + ox;
                        o[oi] = best;
                        arg[oi] = bestIdx;
                    }
                }
            }
            out = Nd4j.create(o, new long[] {1, c, oh, ow}, DataType.DOUBLE);
        } else {
            float[] in = NdArrays.toFloats(x);
            float[] o = new float[arg.length];
            for (int ch = 0; ch < c; ch++) {
                int base = ch * h * w;
                for (int oy = 0; oy < oh; oy++) {
                    int y0 = oy * g.sH - padTop;
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = ox * g.sW - padLeft;
                        float best = Float.NEGATIVE_INFINITY;
                        int bestIdx = -1;
                        for (int ky = Math.max(0, -y0); ky < g.kH && y0 + ky < h; ky++) {
                            int row = (y0 + ky) * w;
                            for (int kx = Math.max(0, -x0); kx < g.kW && x0 + kx < w; kx++) {
                                float v = in[base + row + x0 + kx];
                                if (v > best || bestIdx < 0) {
                                    best = v;
                                    bestIdx = row + x0 + kx;
                                }
                            }
                        }
                        int oi = (ch * oh + oy) * ow + ox;
                        o[oi] = best;
                        arg[oi] = bestIdx;
                    }
                }
            }
            out = Nd4j.create(o, new long[] {1, c, oh, ow}, 'c').castTo(x.dataType());
        }
        return new MaxPoolArgmax(out, arg, c, h, w, oh, ow);
    }

    /**
     * The gradient with respect to the pooling input, {@code [B,C,H,W]}: each output gradient of
     * {@code gradOut [B,C,oH,oW]} is added at its window's recorded maximum.
     */
    INDArray backward(INDArray gradOut) {
        int batch = (int) gradOut.size(0);
        int inPlane = inH * inW;
        int outPlane = outH * outW;
        long total = (long) batch * channels * inPlane;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Pooling gradient of " + total + " values exceeds 2^31");
        }
        if (gradOut.dataType() == DataType.DOUBLE) {
            double[] go = NdArrays.toDoubles(gradOut);
            double[] gi = new double[(int) total];
            for (int b = 0; b < batch; b++) {
                for (int ch = 0; ch < channels; ch++) {
                    int inBase = (b * channels + ch) * inPlane;
                    int outBase = (b * channels + ch) * outPlane;
                    int argBase = ch * outPlane;
                    for (int o = 0; o < outPlane; o++) {
                        gi[inBase + argmax[argBase + o]] += go[outBase + o];
                    }
                }
            }
            return Nd4j.create(gi, new long[] {batch, channels, inH, inW}, DataType.DOUBLE);
        }
        float[] go = NdArrays.toFloats(gradOut);
        float[] gi = new float[(int) total];
        for (int b = 0; b < batch; b++) {
            for (int ch = 0; ch < channels; ch++) {
                int inBase = (b * channels + ch) * inPlane;
                int outBase = (b * channels + ch) * outPlane;
                int argBase = ch * outPlane;
                for (int o = 0; o < outPlane; o++) {
                    gi[inBase + argmax[argBase + o]] += go[outBase + o];
                }
            }
        }
        return Nd4j.create(gi, new long[] {batch, channels, inH, inW}, 'c').castTo(gradOut.dataType());
    }
}
