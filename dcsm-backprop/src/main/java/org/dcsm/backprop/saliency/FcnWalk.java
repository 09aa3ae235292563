package org.dcsm.backprop.saliency;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The inference path of a fully convolutional DL4J network from its input up to the class score
 * layer, read once from the configuration, with a forward pass that keeps exactly the activations the
 * backward walk needs and a backward walk that computes gradients with respect to activations only
 * (never weights), batched over candidate classes, and stops at the lowest requested layer.
 *
 * <p>Supported layers below the score layer: {@link ConvolutionLayer} (NCHW, dilation 1, activation
 * ReLU or identity; Same mode only with stride 1), {@link SubsamplingLayer} with MAX pooling,
 * {@link ActivationLayer} (ReLU or identity) and {@link DropoutLayer} (identity at inference).
 * Weights are read from the network at each pass (views, not copies).
 */
final class FcnWalk {

    /** The name of the pseudo layer "the network input" (Simonyan et al. saliency). */
    static final String INPUT = "input";

    enum Kind { CONV, MAX_POOL, ACTIVATION }

    /** Kernel, stride, padding and mode of a convolution or pooling layer. */
    static final class Geometry {
        final int kH;
        final int kW;
        final int sH;
        final int sW;
        final int pH;
        final int pW;
        final boolean same;

        Geometry(int[] kernel, int[] stride, int[] padding, boolean same) {
            this.kH = kernel[0];
            this.kW = kernel[1];
            this.sH = stride[0];
            this.sW = stride[1];
            this.pH = padding[0];
            this.pW = padding[1];
            this.same = same;
        }

        long outH(long in) {
            return same ? (in + sH - 1) / sH : Math.floorDiv(in + 2L * pH - kH, sH) + 1;
        }

        long outW(long in) {
            return same ? (in + sW - 1) / sW : Math.floorDiv(in + 2L * pW - kW, sW) + 1;
        }
    }

    /** One layer of the walk. */
    static final class Step {
        final String name;
        final int layerIndex;
        final Kind kind;
        final boolean relu;
        final Geometry geometry;
        final boolean hasBias;

        Step(String name, int layerIndex, Kind kind, boolean relu, Geometry geometry, boolean hasBias) {
            this.name = name;
            this.layerIndex = layerIndex;
            this.kind = kind;
            this.relu = relu;
            this.geometry = geometry;
            this.hasBias = hasBias;
        }
    }

    /** Activations of one forward pass at one input size. */
    static final class Forward implements AutoCloseable {
        final INDArray input;
        final INDArray[] outputs;
        final MaxPoolArgmax[] pools;
        final INDArray scoreMap;

        Forward(INDArray input, INDArray[] outputs, MaxPoolArgmax[] pools) {
            this.input = input;
            this.outputs = outputs;
            this.pools = pools;
            this.scoreMap = outputs[outputs.length - 1];
        }

        long height() {
            return input.size(2);
        }

        long width() {
            return input.size(3);
        }

        @Override
        public void close() {
            for (INDArray a : outputs) {
                if (a != null && !a.wasClosed()) {
                    a.close();
                }
            }
        }
    }

    /** Receives the gradient reaching a recorded layer; the array is only valid during the call. */
    interface GradientSink {
        void accept(String layer, INDArray gradient);
    }

    private final MultiLayerNetwork net;
    private final List<Step> steps;
    private final List<String> names;
    private final long minHeight;
    private final long minWidth;

    private FcnWalk(MultiLayerNetwork net, List<Step> steps) {
        this.net = net;
        this.steps = steps;
        List<String> n = new ArrayList<>();
        n.add(INPUT);
        for (Step s : steps) {
            n.add(s.name);
        }
        this.names = Collections.unmodifiableList(n);
        this.minHeight = minimumSize(true);
        this.minWidth = minimumSize(false);
    }

    /**
     * Reads the layers of {@code net} from the first one up to {@code scoreLayer}.
     *
     * @throws IllegalArgumentException when there is no layer of that name or a layer below it is of a
     *                                  kind the walk cannot differentiate
     */
    static FcnWalk of(MultiLayerNetwork net, String scoreLayer) {
        int n = net.getnLayers();
        List<String> seen = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Layer conf = net.getLayerWiseConfigurations().getConf(i).getLayer();
            String name = conf.getLayerName();
            seen.add(name);
            if (net.getLayerWiseConfigurations().getInputPreProcess(i) != null) {
                throw new IllegalArgumentException("Layer '" + name + "' has an input preprocessor ("
                        + net.getLayerWiseConfigurations().getInputPreProcess(i).getClass().getSimpleName()
                        + "); the saliency walk supports plain fully convolutional networks only");
            }
            Step step = toStep(conf, name, i);
            if (step != null) {
                steps.add(step);
            }
            if (scoreLayer.equals(name)) {
                if (step == null || step.kind != Kind.CONV) {
                    throw new IllegalArgumentException("Score layer '" + scoreLayer
                            + "' must be a ConvolutionLayer producing the K×h×w class score map, found "
                            + conf.getClass().getSimpleName());
                }
                if (step.relu) {
                    throw new IllegalArgumentException("Score layer '" + scoreLayer
                            + "' must have the identity activation (raw class scores, Eq. 1), found ReLU");
                }
                return new FcnWalk(net, List.copyOf(steps));
            }
        }
        throw new IllegalArgumentException("The network has no class score layer named '" + scoreLayer
                + "' (the K×h×w convolution before global max pooling); its layers are " + seen);
    }

    private static Step toStep(Layer conf, String name, int index) {
        if (conf.getClass() == ConvolutionLayer.class) {
            ConvolutionLayer c = (ConvolutionLayer) conf;
            if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw unsupported(name, "data format " + c.getCnn2dDataFormat() + " (NCHW is required)");
            }
            if (c.getDilation()[0] != 1 || c.getDilation()[1] != 1) {
                throw unsupported(name, "dilation " + c.getDilation()[0] + "x" + c.getDilation()[1]);
            }
            boolean same = c.getConvolutionMode() == ConvolutionMode.Same;
            if (same && (c.getStride()[0] != 1 || c.getStride()[1] != 1)) {
                throw unsupported(name, "Same convolution mode with stride " + c.getStride()[0] + "x"
                        + c.getStride()[1] + " (Same mode is supported with stride 1 only)");
            }
            if (same && (c.getKernelSize()[0] % 2 == 0 || c.getKernelSize()[1] % 2 == 0)) {
                throw unsupported(name, "Same convolution mode with the even kernel " + c.getKernelSize()[0]
                        + "x" + c.getKernelSize()[1]);
            }
            int[] padding = same ? new int[] {c.getKernelSize()[0] / 2, c.getKernelSize()[1] / 2} : c.getPadding();
            return new Step(name, index, Kind.CONV, isRelu(c.getActivationFn(), name),
                    new Geometry(c.getKernelSize(), c.getStride(), padding, false), c.hasBias());
        }
        if (conf.getClass() == SubsamplingLayer.class) {
            SubsamplingLayer s = (SubsamplingLayer) conf;
            if (s.getPoolingType() != PoolingType.MAX) {
                throw unsupported(name, "pooling type " + s.getPoolingType() + " (MAX is required)");
            }
            if (s.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw unsupported(name, "data format " + s.getCnn2dDataFormat() + " (NCHW is required)");
            }
            if (s.getDilation()[0] != 1 || s.getDilation()[1] != 1) {
                throw unsupported(name, "dilation " + s.getDilation()[0] + "x" + s.getDilation()[1]);
            }
            return new Step(name, index, Kind.MAX_POOL, false, new Geometry(s.getKernelSize(), s.getStride(),
                    s.getPadding(), s.getConvolutionMode() == ConvolutionMode.Same), false);
        }
        if (conf instanceof ActivationLayer a) {
            return new Step(name, index, Kind.ACTIVATION, isRelu(a.getActivationFn(), name), null, false);
        }
        if (conf instanceof DropoutLayer) {
            return null;
        }
        throw unsupported(name, "layer type " + conf.getClass().getSimpleName());
    }

    private static boolean isRelu(IActivation fn, String name) {
        if (fn instanceof ActivationIdentity) {
            return false;
        }
        if (fn instanceof ActivationReLU r) {
            boolean plain = (r.getMax() == null || r.getMax() == 0.0)
                    && (r.getThreshold() == null || r.getThreshold() == 0.0)
                    && (r.getNegativeSlope() == null || r.getNegativeSlope() == 0.0);
            if (plain) {
                return true;
            }
            throw unsupported(name, "activation " + fn + " (plain ReLU or identity is required)");
        }
        throw unsupported(name, "activation " + fn + " (ReLU or identity is required)");
    }

    private static IllegalArgumentException unsupported(String name, String what) {
        return new IllegalArgumentException("Layer '" + name + "' has " + what
                + ", which the saliency backward walk does not support");
    }

    /** Layer names a caller may request, {@link #INPUT} first, then the layers up to the score layer. */
    List<String> layerNames() {
        return names;
    }

    /** The step index of a layer name; -1 for {@link #INPUT}; -2 when unknown. */
    int indexOf(String layer) {
        if (INPUT.equals(layer)) {
            return -1;
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name.equals(layer)) {
                return i;
            }
        }
        return -2;
    }

    int stepCount() {
        return steps.size();
    }

    Step step(int i) {
        return steps.get(i);
    }

    long minHeight() {
        return minHeight;
    }

    long minWidth() {
        return minWidth;
    }

    /** Number of input channels expected (from the first convolution's weights). */
    long inputChannels() {
        for (Step s : steps) {
            if (s.kind == Kind.CONV) {
                return weights(s).size(1);
            }
        }
        throw new IllegalStateException("No convolution below the score layer");
    }

    /** Output channels of step {@code i}, a convolution (from its weights). */
    long outputChannels(int i) {
        return weights(steps.get(i)).size(0);
    }

    /** Number of classes K (the score layer's output channels). */
    long classCount() {
        return weights(steps.get(steps.size() - 1)).size(0);
    }

    DataType dataType() {
        return net.params().dataType();
    }

    /** Output height (or width) after every step for an input of size {@code in}, or -1 when it vanishes. */
    long outputSize(long in, boolean height) {
        long size = in;
        for (Step s : steps) {
            if (s.geometry != null) {
                size = height ? s.geometry.outH(size) : s.geometry.outW(size);
                if (size < 1) {
                    return -1;
                }
            }
        }
        return size;
    }

    private long minimumSize(boolean height) {
        for (long in = 1; in <= 1 << 16; in++) {
            if (outputSize(in, height) >= 1) {
                return in;
            }
        }
        throw new IllegalArgumentException("The network's score map is empty for every input up to 65536 pixels");
    }

    private INDArray weights(Step s) {
        return net.getLayer(s.layerIndex).getParam("W");
    }

    /**
     * One forward pass of {@code x [1,C,H,W]} (the network's data type) up to the score layer, keeping
     * the outputs of the steps at and above {@code lowestStep} (all when it is -1), which the backward
     * walk needs; lower activations are released as soon as the next layer has consumed them.
     */
    Forward forward(INDArray x, int lowestStep) {
        INDArray[] outputs = new INDArray[steps.size()];
        MaxPoolArgmax[] pools = new MaxPoolArgmax[steps.size()];
        INDArray current = x;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            INDArray next;
            switch (s.kind) {
                case CONV -> {
                    INDArray b = s.hasBias ? net.getLayer(s.layerIndex).getParam("b") : null;
                    next = NdOps.conv2d(current, weights(s), b == null ? null : b.reshape(b.length()), s.geometry);
                    if (s.relu) {
                        Transforms.relu(next, false);
                    }
                }
                case MAX_POOL -> {
                    if (i > lowestStep) {
                        // the backward walk passes this pool: remember where each maximum came from
                        pools[i] = MaxPoolArgmax.forward(current, s.geometry);
                        next = pools[i].output;
                    } else {
                        next = NdOps.maxPool(current, s.geometry);
                    }
                }
                case ACTIVATION -> next = s.relu ? Transforms.relu(current, true) : current;
                default -> throw new IllegalStateException(s.kind.toString());
            }
            if (i - 1 >= 0 && i - 1 < lowestStep && current != next && !current.wasClosed()) {
                current.close();
            }
            outputs[i] = next;
            current = next;
        }
        for (int i = 0; i < Math.max(lowestStep, 0); i++) {
            outputs[i] = null;
        }
        return new Forward(x, outputs, pools);
    }

    /**
     * Backward walk from the score map down to {@code lowestStep} (-1: down to the input), batched over
     * the rows of {@code seed [B,K,h,w]}. At every step in {@code record}, the gradient with respect to
     * that step's output (or, with {@code preActivation}, with respect to its pre-ReLU value, that is
     * after the ReLU rule) is passed to {@code sink}; {@code recordInput} also passes the gradient with
     * respect to the input as layer {@link #INPUT}.
     *
     * <p>ReLU rule: plain backprop multiplies by {@code [forward output > 0]}; guided backprop
     * (Springenberg et al.) also zeroes negative gradients: {@code g <- max(g, 0) * [output > 0]}.
     *
     * <p>The input gradient of a stride-1 k×k convolution (k &gt; 1) is computed as a forward
     * convolution of the gradient with the spatially flipped, in/out-transposed kernel and padding
     * {@code k-1-p} (libnd4j's {@code conv2d}: oneDNN where the backend has it, else im2col + GEMM).
     * For 1×1 kernels, strided convolutions, and where that convolution would read a far larger
     * input than the layer's (fc6: a 7×7 kernel over 4096 channels of a 9×9 map), it is one GEMM
     * {@code W^T · G} and a col2im ({@link NdOps#convInputGradientByGemm}).
     *
     * @param seed    consumed (closed) by the walk
     * @param flipped per-step cache of flipped kernels (length = step count), filled on demand; reuse it
     *                for the scales of one extraction, and drop it after (the weights are read live)
     */
    void backward(Forward f, INDArray seed, int lowestStep, boolean[] record, boolean recordInput,
                  boolean guided, boolean preActivation, GradientSink sink, INDArray[] flipped) {
        INDArray g = seed;
        for (int i = steps.size() - 1; i >= Math.max(lowestStep, 0); i--) {
            Step s = steps.get(i);
            if (record[i] && !preActivation) {
                sink.accept(s.name, g);
            }
            if (s.relu) {
                applyReluRule(g, f.outputs[i], guided);
            }
            if (record[i] && preActivation) {
                sink.accept(s.name, g);
            }
            if (i == lowestStep) {
                break;
            }
            INDArray in = i == 0 ? f.input : f.outputs[i - 1];
            INDArray next;
            switch (s.kind) {
                case CONV -> next = convInputGradient(i, g, in.size(2), in.size(3), flipped);
                case MAX_POOL -> next = f.pools[i].backward(g);
                case ACTIVATION -> next = g;
                default -> throw new IllegalStateException(s.kind.toString());
            }
            if (next != g) {
                g.close();
            }
            g = next;
        }
        if (recordInput && lowestStep < 0) {
            sink.accept(INPUT, g);
        }
        g.close();
    }

    private INDArray convInputGradient(int i, INDArray g, long inH, long inW, INDArray[] flipped) {
        Step s = steps.get(i);
        Geometry geo = s.geometry;
        INDArray w = weights(s);
        long nOut = w.size(0);
        long nIn = w.size(1);
        boolean stride1 = geo.sH == 1 && geo.sW == 1 && !geo.same;
        boolean padOk = geo.pH <= geo.kH - 1 && geo.pW <= geo.kW - 1;
        double convCols = (double) nOut * inH * inW;
        double deconvCols = (double) nIn * g.size(2) * g.size(3);
        boolean pointwise = geo.kH == 1 && geo.kW == 1;
        if (!pointwise && stride1 && padOk && convCols <= 4 * deconvCols) {
            if (flipped[i] == null) {
                flipped[i] = NdOps.flipKernels(w);
            }
            return NdOps.convInputGradientByConv(g, flipped[i], geo);
        }
        return NdOps.convInputGradientByGemm(g, w, geo, (int) inH, (int) inW);
    }

    private static void applyReluRule(INDArray g, INDArray forwardOutput, boolean guided) {
        INDArray positive = forwardOutput.gt(0.0);
        INDArray mask = positive.castTo(g.dataType());
        if (mask != positive) {
            positive.close();
        }
        if (guided) {
            Transforms.relu(g, false);
        }
        long batch = g.size(0);
        for (long b = 0; b < batch; b++) {
            g.get(NDArrayIndex.point(b), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                    .muli(mask.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()));
        }
        mask.close();
    }

    /** An all-zero seed {@code [B,K,h,w]} of the network's data type. */
    static INDArray zeros(DataType type, long... shape) {
        return Nd4j.zeros(type, shape);
    }
}
