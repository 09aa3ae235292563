package org.dcsm.backprop.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Forward and backward pass of a training network ({@code VggStyleFcn.buildTrainingNetwork}: convolutions,
 * batch normalisation, ReLU, 2×2 max pooling, dropout before fc7/fc8) on libnd4j's own operations
 * ({@code conv2d}/{@code conv2d_bp}, {@code batchnorm}/{@code batchnorm_bp}, {@code maxpool2d}/{@code maxpool2d_bp}),
 * with the weight gradients written into the network's flat gradient view so that DL4J's updater
 * applies them unchanged. It computes what {@code MultiLayerNetwork.feedForward(true)} +
 * {@code backpropGradient} compute, including DL4J's encoding of the batch-norm running statistics as
 * "gradients" ({@code (global − batch)·(1 − decay)}, applied by a no-op updater), but calls each libnd4j
 * op directly: DL4J 1.0.0-M2.1's layers run their convolutions as Java-side im2col + GEMM and never reach
 * the oneDNN kernels (its MKL-DNN helpers fail their own availability check), ~50× slower here for the
 * small FCN's first convolutions.
 *
 * <p>Every intermediate array is released as soon as the backward pass has used it (unless it lives in a
 * workspace, which the trainer opens around each step), so a step does not leave its native memory to the
 * garbage collector. Not thread-safe; one per session.
 */
final class TrainingWalk {

    private static final int NCHW = 0;
    private static final int WEIGHTS_OIHW = 1;

    private enum Kind { CONV, BN, RELU, POOL }

    /** One DL4J layer: its kind, geometry and the views of its parameters and gradients. */
    private static final class Node {
        final Kind kind;
        final int layerIndex;
        int kH;
        int kW;
        int sH;
        int sW;
        int pH;
        int pW;
        boolean relu;
        IDropout dropout;
        double eps;
        double decay;
        Map<String, INDArray> params;
        Map<String, INDArray> grads;
        // saved by forward for backward
        INDArray input;
        INDArray output;
        INDArray mean;
        INDArray var;
        INDArray dropped;

        Node(Kind kind, int layerIndex) {
            this.kind = kind;
            this.layerIndex = layerIndex;
        }

        /** Kernel, stride and padding as {height, width} pairs. */
        void geometry(int[] kernel, int[] stride, int[] padding) {
            kH = kernel[0];
            kW = kernel[1];
            sH = stride[0];
            sW = stride[1];
            pH = padding[0];
            pW = padding[1];
        }
    }

    private final MultiLayerNetwork net;
    private final List<Node> nodes = new ArrayList<>();
    private final LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();

    /**
     * @throws IllegalArgumentException for a layer type this walk does not know (the network is not one of
     *                                  {@code VggStyleFcn}'s training networks)
     */
    TrainingWalk(MultiLayerNetwork net) {
        this.net = net;
        if (net.getFlattenedGradients() == null) {
            net.initGradientsView();
        }
        INDArray flatGrad = net.getFlattenedGradients();
        long offset = 0;
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            long np = layer.numParams();
            Node n;
            if (conf instanceof ConvolutionLayer c) {
                n = new Node(Kind.CONV, i);
                n.geometry(c.getKernelSize(), c.getStride(), c.getPadding());
                n.relu = isRelu(c.getActivationFn(), conf);
                n.dropout = c.getIDropout();
                if (c.getDilation()[0] != 1 || c.getDilation()[1] != 1
                        || c.getConvolutionMode() != org.deeplearning4j.nn.conf.ConvolutionMode.Truncate) {
                    throw new IllegalArgumentException("layer " + i + " (" + conf.getLayerName()
                            + "): only undilated convolutions in Truncate mode are supported");
                }
            } else if (conf instanceof BatchNormalization b) {
                if (b.isUseLogStd() || b.isLockGammaBeta()) {
                    throw new IllegalArgumentException("layer " + i + " (" + conf.getLayerName()
                            + "): batch normalisation must store the variance and learn gamma and beta");
                }
                n = new Node(Kind.BN, i);
                n.eps = b.getEps();
                n.decay = b.getDecay();
            } else if (conf instanceof ActivationLayer a) {
                if (!isRelu(a.getActivationFn(), conf)) {
                    throw new IllegalArgumentException("layer " + i + " (" + conf.getLayerName()
                            + "): only ReLU activation layers are supported, found " + a.getActivationFn());
                }
                n = new Node(Kind.RELU, i);
            } else if (conf instanceof SubsamplingLayer s) {
                if (s.getPoolingType() != org.deeplearning4j.nn.conf.layers.PoolingType.MAX
                        || s.getConvolutionMode() != org.deeplearning4j.nn.conf.ConvolutionMode.Truncate) {
                    throw new IllegalArgumentException("layer " + i + " (" + conf.getLayerName()
                            + "): only max pooling in Truncate mode is supported");
                }
                n = new Node(Kind.POOL, i);
                n.geometry(s.getKernelSize(), s.getStride(), s.getPadding());
            } else {
                throw new IllegalArgumentException("layer " + i + " (" + conf.getLayerName() + "): unsupported type "
                        + conf.getClass().getSimpleName());
            }
            if (np > 0) {
                n.params = layer.paramTable();
                INDArray view = flatGrad.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + np));
                n.grads = conf.initializer().getGradientsFromFlattened(layer.conf(), view);
            }
            offset += np;
            nodes.add(n);
        }
    }

    private static boolean isRelu(org.nd4j.linalg.activations.IActivation act, org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (act instanceof ActivationReLU r && r.getMax() == null && zero(r.getThreshold()) && zero(r.getNegativeSlope())) {
            return true;
        }
        if (act instanceof ActivationIdentity) {
            return false;
        }
        throw new IllegalArgumentException("layer " + conf.getLayerName() + ": activation must be identity or ReLU, found "
                + act + " (" + Activation.RELU + " or " + Activation.IDENTITY + ")");
    }

    private static boolean zero(Double d) {
        return d == null || d == 0;
    }

    /**
     * Forward pass in training mode (batch statistics, dropout). Keeps the arrays the backward pass needs.
     *
     * @param input [N, 3, H, W]; not modified, not closed
     * @return the fc8 class score map [N, K, h, w] (owned by the walk until {@link #backward} ends)
     */
    INDArray forward(INDArray input, int iteration, int epoch) {
        INDArray x = input;
        for (Node n : nodes) {
            n.input = x;
            switch (n.kind) {
                case CONV -> {
                    INDArray in = x;
                    if (n.dropout != null) {
                        n.dropped = n.dropout.applyDropout(x, x.ulike(), iteration, epoch, mgr);
                        in = n.dropped;
                    }
                    INDArray z = Nd4j.exec(DynamicCustomOp.builder("conv2d")
                            .addInputs(in, n.params.get(ConvolutionParamInitializer.WEIGHT_KEY),
                                    n.params.get(ConvolutionParamInitializer.BIAS_KEY).reshape(-1))
                            .addIntegerArguments(n.kH, n.kW, n.sH, n.sW, n.pH, n.pW, 1, 1, 0, NCHW, WEIGHTS_OIHW)
                            .build())[0];
                    x = n.relu ? Transforms.relu(z, true) : z; // in place: the pre-activation is not needed
                }
                case BN -> {
                    // batch mean and (biased) variance per channel in one pass
                    INDArray[] moments = Nd4j.exec(DynamicCustomOp.builder("moments").addInputs(x)
                            .addIntegerArguments(0, 2, 3).build());
                    INDArray mean = moments[0];
                    INDArray var = moments[1];
                    INDArray gamma = n.params.get(BatchNormalizationParamInitializer.GAMMA).reshape(-1);
                    INDArray beta = n.params.get(BatchNormalizationParamInitializer.BETA).reshape(-1);
                    x = Nd4j.exec(DynamicCustomOp.builder("batchnorm").addInputs(x, mean, var, gamma, beta)
                            .addIntegerArguments(1, 1, 1).addFloatingPointArguments(n.eps).build())[0];
                    // DL4J's encoding of the running averages: param − grad = decay·global + (1 − decay)·batch
                    INDArray gMean = n.params.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(-1);
                    INDArray gVar = n.params.get(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(-1);
                    INDArray dMean = n.grads.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
                    dMean.assign(gMean.sub(mean).muli(1 - n.decay).reshape(dMean.shape()));
                    INDArray dVar = n.grads.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
                    dVar.assign(gVar.sub(var).muli(1 - n.decay).reshape(dVar.shape()));
                    n.mean = mean;
                    n.var = var;
                }
                case RELU -> x = Transforms.relu(x, true);
                case POOL -> x = Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(x)
                        .addIntegerArguments(n.kH, n.kW, n.sH, n.sW, n.pH, n.pW, 1, 1, 0, 0, NCHW).build())[0];
                default -> throw new IllegalStateException(n.kind.toString());
            }
            n.output = x;
        }
        return x;
    }

    /**
     * Backward pass from {@code gradScore} (dL/d score map, closed here), writing every parameter gradient
     * of the layers from {@code lowestLayer} up into the network's gradient view (the gradients of layers below
     * it are set to 0 and their backward pass is skipped), then closes every array of the step.
     *
     * @return the gradient object for DL4J's updater, backed by the network's flat gradient view
     */
    Gradient backward(INDArray gradScore, int lowestLayer) {
        INDArray g = gradScore;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.layerIndex < lowestLayer) {
                if (n.grads != null) {
                    for (Map.Entry<String, INDArray> e : n.grads.entrySet()) {
                        e.getValue().assign(0);
                    }
                }
                continue;
            }
            boolean needInput = i > 0 && nodes.get(i - 1).layerIndex >= lowestLayer;
            INDArray next = null;
            switch (n.kind) {
                case CONV -> {
                    if (n.relu) {
                        reluBackward(g, n.output);
                    }
                    INDArray in = n.dropped != null ? n.dropped : n.input;
                    INDArray[] r = Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                            .addInputs(in, n.params.get(ConvolutionParamInitializer.WEIGHT_KEY),
                                    n.params.get(ConvolutionParamInitializer.BIAS_KEY).reshape(-1), g)
                            .addIntegerArguments(n.kH, n.kW, n.sH, n.sW, n.pH, n.pW, 1, 1, 0, NCHW, WEIGHTS_OIHW)
                            .build());
                    INDArray gW = n.grads.get(ConvolutionParamInitializer.WEIGHT_KEY);
                    gW.assign(r[1].reshape(gW.shape()));
                    INDArray gB = n.grads.get(ConvolutionParamInitializer.BIAS_KEY);
                    gB.assign(r[2].reshape(gB.shape()));
                    free(r[1]);
                    free(r[2]);
                    if (needInput) {
                        next = r[0];
                        if (n.dropout != null) {
                            INDArray back = next.ulike();
                            n.dropout.backprop(next, back, 0, 0);
                            free(next);
                            next = back;
                        }
                    } else {
                        free(r[0]);
                    }
                }
                case BN -> {
                    INDArray gamma = n.params.get(BatchNormalizationParamInitializer.GAMMA).reshape(-1);
                    INDArray beta = n.params.get(BatchNormalizationParamInitializer.BETA).reshape(-1);
                    // libnd4j's batchnorm_bp differentiates through the batch mean and variance (training mode)
                    INDArray[] r = Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                            .addInputs(n.input, n.mean, n.var, gamma, beta, g)
                            .addIntegerArguments(1, 1, 1).addFloatingPointArguments(n.eps).build());
                    INDArray gG = n.grads.get(BatchNormalizationParamInitializer.GAMMA);
                    gG.assign(r[3].reshape(gG.shape()));
                    INDArray gBt = n.grads.get(BatchNormalizationParamInitializer.BETA);
                    gBt.assign(r[4].reshape(gBt.shape()));
                    for (int j = 1; j < r.length; j++) {
                        free(r[j]);
                    }
                    if (needInput) {
                        next = r[0];
                    } else {
                        free(r[0]);
                    }
                }
                case RELU -> {
                    if (needInput) {
                        reluBackward(g, n.output);
                        next = g;
                        g = null;
                    }
                }
                case POOL -> {
                    if (needInput) {
                        next = Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(n.input, g)
                                .addIntegerArguments(n.kH, n.kW, n.sH, n.sW, n.pH, n.pW, 1, 1, 0, 0, NCHW).build())[0];
                    }
                }
                default -> throw new IllegalStateException(n.kind.toString());
            }
            if (g != null) {
                free(g);
            }
            g = next;
        }
        if (g != null) {
            free(g);
        }
        release();
        Gradient gradient = new DefaultGradient(net.getFlattenedGradients());
        for (Node n : nodes) {
            if (n.grads != null) {
                for (Map.Entry<String, INDArray> e : n.grads.entrySet()) {
                    gradient.setGradientFor(n.layerIndex + "_" + e.getKey(), e.getValue());
                }
            }
        }
        return gradient;
    }

    /** g ← g · [y &gt; 0] in place. */
    private static void reluBackward(INDArray g, INDArray y) {
        Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(y, g).addOutputs(g).addFloatingPointArguments(0.0)
                .build());
    }

    /** Closes every array the forward pass kept (the input of the first layer is the caller's). */
    void release() {
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            // every node's output is the next node's input; relu layers work in place
            if (n.output != n.input) {
                free(n.output);
            }
            free(n.mean);
            free(n.var);
            free(n.dropped);
            if (n.dropout != null) {
                n.dropout.clear();
            }
            n.input = null;
            n.output = null;
            n.mean = null;
            n.var = null;
            n.dropped = null;
        }
    }

    /**
     * Releases {@code a}'s native memory now, unless it lives in a workspace (which reuses it on its next
     * cycle) or is already released.
     */
    static void free(INDArray a) {
        if (a != null && !a.wasClosed() && !a.isAttached() && !a.isView()) {
            a.close();
        }
    }
}
