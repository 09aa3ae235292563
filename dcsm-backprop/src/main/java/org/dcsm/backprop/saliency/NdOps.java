package org.dcsm.backprop.saliency;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The few libnd4j custom operations the saliency walk needs, called directly (no DL4J layer, no
 * workspace, no weight gradient). All arrays are NCHW; convolution weights are in DL4J's
 * {@code [nOut, nIn, kH, kW]} layout, which libnd4j accepts as weight format 1 for both
 * {@code conv2d} ({@code [oC, iC, kH, kW]}) and {@code deconv2d} ({@code [iC, oC, kH, kW]} with the
 * deconvolution's iC = the convolution's nOut), so the network's parameter views are used as they
 * are, without a copy. Every method returns a new array; inputs are not modified.
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
     * The gradient of a convolution with respect to its input: the transposed convolution of
     * {@code gradOut [B,nOut,oH,oW]} with the same weights, geometry and no bias, giving
     * {@code [B,nIn,inH,inW]}. Rows and columns that the forward never read (a truncating stride)
     * get zero.
     */
    static INDArray convInputGradient(INDArray gradOut, INDArray w, FcnWalk.Geometry g, long inH, long inW) {
        DynamicCustomOp op = DynamicCustomOp.builder("deconv2d").addInputs(gradOut, w)
                .addIntegerArguments(g.kH, g.kW, g.sH, g.sW, g.pH, g.pW, 1, 1, g.same ? 1 : 0, NCHW, WEIGHTS_OIHW)
                .build();
        INDArray out = Nd4j.exec(op)[0];
        if (out.size(2) == inH && out.size(3) == inW) {
            return out;
        }
        if (out.size(2) > inH || out.size(3) > inW) {
            throw new IllegalStateException("Transposed convolution gave " + Arrays.toString(out.shape())
                    + ", larger than the layer input " + inH + "x" + inW);
        }
        INDArray full = Nd4j.zeros(out.dataType(), out.size(0), out.size(1), inH, inW);
        full.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, out.size(2)),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, out.size(3))).assign(out);
        out.close();
        return full;
    }

    /** Max pooling {@code [B,C,H,W] -> [B,C,oH,oW]}. */
    static INDArray maxPool(INDArray x, FcnWalk.Geometry g) {
        DynamicCustomOp op = DynamicCustomOp.builder("maxpool2d").addInputs(x)
                .addIntegerArguments(g.kH, g.kW, g.sH, g.sW, g.pH, g.pW, 1, 1, g.same ? 1 : 0, 0, NCHW)
                .build();
        return Nd4j.exec(op)[0];
    }

    /**
     * The gradient of max pooling with respect to its input: each output gradient goes to the
     * position of its window's maximum in {@code forwardInput [1,C,H,W]} (shared by every row of the
     * batch {@code gradOut [B,C,oH,oW]}); returns {@code [B,C,H,W]}.
     */
    static INDArray maxPoolInputGradient(INDArray forwardInput, INDArray gradOut, FcnWalk.Geometry g) {
        long batch = gradOut.size(0);
        INDArray in = batch == 1 ? forwardInput
                : forwardInput.broadcast(batch, forwardInput.size(1), forwardInput.size(2), forwardInput.size(3));
        DynamicCustomOp op = DynamicCustomOp.builder("maxpool2d_bp").addInputs(in, gradOut)
                .addIntegerArguments(g.kH, g.kW, g.sH, g.sW, g.pH, g.pW, 1, 1, g.same ? 1 : 0, 0, NCHW)
                .build();
        INDArray out = Nd4j.exec(op)[0];
        if (in != forwardInput) {
            in.close();
        }
        return out;
    }
}
