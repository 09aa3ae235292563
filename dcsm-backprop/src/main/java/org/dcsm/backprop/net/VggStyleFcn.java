package org.dcsm.backprop.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dcsm.core.UntrustedText;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A VGG-style fully convolutional multi-label network (the paper's §3.2 network, Eq. 1–2), described by
 * its block widths and depths; {@link #paper()} (the paper's VGG-16 FCN, {@link Vgg16Fcn}) and {@link SmallVggFcn}
 * are presets of it.
 *
 * <p>Layer names (the contract shared with {@code org.dcsm.backprop.saliency}): block {@code b} (1-based)
 * holds {@code convb_1 … convb_n} (3×3 convolutions, stride 1, explicit padding 1, ReLU) followed by
 * {@code poolb} (2×2 max pooling, stride 2, truncating odd sizes); then {@code fc6} (a k×k convolution,
 * ReLU), {@code fc7} (1×1, ReLU), {@code fc8} (1×1 to the K foreground classes, identity: the K×h×w class
 * score map), {@code gmp} (global max pooling, Eq. 1) and {@code loss} (sigmoid cross-entropy, Eq. 2).
 * Output channel {@code k} of {@code fc8} scores class id {@code k + 1} of the model's
 * {@link org.dcsm.core.ClassList}. The inference network has no batch normalisation and no dropout.
 *
 * <p>The <em>training</em> network ({@link #buildTrainingNetwork}) stops at {@code fc8}: the global pooling
 * and the loss are computed by {@code org.dcsm.backprop.train.MultiLabelTrainer}, which can mix max and
 * average pooling. With batch normalisation each convolution below {@code fc8} becomes
 * {@code name} (conv, identity) → {@code name_bn} → {@code name_relu}; {@link #toInferenceNetwork} folds the
 * normalisation into the convolution weights and biases. Dropout, when enabled, acts on the inputs of
 * {@code fc7} and {@code fc8} (Caffe's drop6 / drop7).
 *
 * <p>Immutable; build with {@link #builder()}, or change a preset with {@code paper().toBuilder()}.
 */
public final class VggStyleFcn {

    /** Suffix of the batch-normalisation layer after a convolution in the training network. */
    public static final String BN_SUFFIX = "_bn";
    /** Suffix of the ReLU layer after a batch normalisation in the training network. */
    public static final String RELU_SUFFIX = "_relu";
    /** Epsilon of the batch normalisation layers (DL4J's default). */
    public static final double BN_EPS = 1e-5;
    /** Largest channel count of any layer (VGG-16's widest is fc6's 4096). */
    public static final int MAX_WIDTH = 1 << 16;
    /** Most 3×3 convolutions in one block (VGG-19 has 4). */
    public static final int MAX_BLOCK_DEPTH = 32;
    /** Largest fc6 kernel side (VGG-16's is 7). */
    public static final int MAX_FC6_KERNEL = 64;
    /**
     * Largest {@link #minimumInputSize()}: 2^blocks · max(1, k − 2·pad) must stay at most this many pixels (the
     * side of a square image at {@code ImageLoader}'s default pixel limit), so every size derived from an
     * architecture fits an {@code int}.
     */
    public static final int MAX_MINIMUM_INPUT_SIZE = 8192;

    private final String name;
    private final int[] blockWidths;
    private final int[] blockDepths;
    private final int fc6Width;
    private final int fc7Width;
    private final int fc6Kernel;
    private final int fc6Padding;

    private VggStyleFcn(Builder b) {
        this.name = b.name;
        this.blockWidths = b.blockWidths.clone();
        this.blockDepths = b.blockDepths.clone();
        this.fc6Width = b.fc6Width;
        this.fc7Width = b.fc7Width;
        this.fc6Kernel = b.fc6Kernel;
        this.fc6Padding = b.fc6Padding;
    }

    /** A builder with no defaults except name "VggStyleFcn", fc6 kernel 1 and padding 0. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The paper's network (§3.2): VGG-16 as an FCN with the unpadded 7×7 fc6, the architecture of
     * {@link Vgg16Fcn#architecture()} (named {@value Vgg16Fcn#NAME}). Other architectures are presets of their own
     * ({@link SmallVggFcn#architecture()}) or a preset's {@link #toBuilder()} with other values.
     */
    public static VggStyleFcn paper() {
        return Vgg16Fcn.architecture();
    }

    /** A builder holding this architecture's values. */
    public Builder toBuilder() {
        return new Builder().name(name).blockWidths(blockWidths).blockDepths(blockDepths).fc6Width(fc6Width)
                .fc7Width(fc7Width).fc6Kernel(fc6Kernel).fc6Padding(fc6Padding);
    }

    /** Architecture name written into saved models. */
    public String name() {
        return name;
    }

    /** Output channels of each block (copy). */
    public int[] blockWidths() {
        return blockWidths.clone();
    }

    /** Number of 3×3 convolutions in each block (copy). */
    public int[] blockDepths() {
        return blockDepths.clone();
    }

    /** Number of blocks, each ending with a 2×2 max pooling. */
    public int blockCount() {
        return blockWidths.length;
    }

    /** Output channels of fc6. */
    public int fc6Width() {
        return fc6Width;
    }

    /** Output channels of fc7. */
    public int fc7Width() {
        return fc7Width;
    }

    /** Kernel size of fc6 (7 for VGG-16, 1 for small nets). */
    public int fc6Kernel() {
        return fc6Kernel;
    }

    /** Zero padding of fc6 on each side. */
    public int fc6Padding() {
        return fc6Padding;
    }

    /** Total stride of the network: 2^blocks. */
    public int stride() {
        return 1 << blockWidths.length;
    }

    /** Names of the 3×3 convolution layers, bottom to top ({@code conv1_1}, …). */
    public List<String> convLayerNames() {
        List<String> names = new ArrayList<>();
        for (int b = 0; b < blockWidths.length; b++) {
            for (int d = 0; d < blockDepths[b]; d++) {
                names.add(FcnLayers.conv(b + 1, d + 1));
            }
        }
        return names;
    }

    /**
     * Side length of the class score map for an input side {@code inputSide}: each pooling halves with
     * truncation (so {@code floor(side / 2^blocks)}), then fc6 gives {@code s + 2·pad − k + 1}. May be ≤ 0.
     */
    public int scoreMapSide(int inputSide) {
        int s = inputSide;
        for (int b = 0; b < blockWidths.length; b++) {
            s = s / 2;
        }
        return s + 2 * fc6Padding - fc6Kernel + 1;
    }

    /**
     * The smallest input side whose class score map is non-empty: {@code 2^blocks · max(1, k − 2·pad)}
     * (224 for VGG-16 with a 7×7 unpadded fc6, 32 for a five-block net with 1×1 fc6).
     */
    public int minimumInputSize() {
        return stride() * Math.max(1, fc6Kernel - 2 * fc6Padding);
    }

    /**
     * Number of trainable parameters of the inference network for K classes, computed from the
     * architecture (no network is built): Σ (9·in·out + out) over the 3×3 convolutions, plus
     * k²·in·fc6 + fc6, fc6·fc7 + fc7 and fc7·K + K.
     */
    public long parameterCount(int numClasses) {
        requireClasses(numClasses);
        long n = 0;
        long in = 3;
        for (int b = 0; b < blockWidths.length; b++) {
            for (int d = 0; d < blockDepths[b]; d++) {
                n += 9L * in * blockWidths[b] + blockWidths[b];
                in = blockWidths[b];
            }
        }
        n += (long) fc6Kernel * fc6Kernel * in * fc6Width + fc6Width;
        n += (long) fc6Width * fc7Width + fc7Width;
        n += (long) fc7Width * numClasses + numClasses;
        return n;
    }

    /**
     * Checks a network input: rank 4 NCHW with 3 channels, both sides at least {@link #minimumInputSize()}
     * and every value finite.
     *
     * @throws IllegalArgumentException naming the bad shape, size or value
     */
    public void requireValidInput(INDArray input) {
        Objects.requireNonNull(input, "input");
        long[] s = input.shape();
        if (s.length != 4 || s[1] != 3 || s[0] < 1) {
            throw new IllegalArgumentException("input must have shape [N, 3, H, W] (NCHW, BGR, mean subtracted), found "
                    + Arrays.toString(s));
        }
        int min = minimumInputSize();
        if (s[2] < min || s[3] < min) {
            throw new IllegalArgumentException("input of " + s[2] + "x" + s[3] + " (HxW) is below the minimum input size "
                    + min + "x" + min + " of " + name + ": its class score map would be empty (score map "
                    + scoreMapSide((int) Math.min(s[2], Integer.MAX_VALUE)) + "x"
                    + scoreMapSide((int) Math.min(s[3], Integer.MAX_VALUE)) + ")");
        }
        org.dcsm.core.Validation.requireFinite(input, "network input");
    }

    /**
     * The inference network of the contract (conv/pool body, fc6–fc8, {@code gmp}, {@code loss}) with
     * freshly initialised weights (He for ReLU layers, Xavier for fc8), for {@code numClasses} outputs.
     *
     * @param numClasses K, the number of foreground classes (&gt; 0)
     * @param seed       weight-initialisation seed
     */
    public MultiLayerNetwork buildInferenceNetwork(int numClasses, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(inferenceConfiguration(numClasses, seed));
        net.init();
        return net;
    }

    /**
     * The configuration of {@link #buildInferenceNetwork} without allocating weights (cheap even for VGG-16;
     * use it to inspect layer shapes).
     */
    public MultiLayerConfiguration inferenceConfiguration(int numClasses, long seed) {
        requireClasses(numClasses);
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).updater(new NoOp()).weightInit(WeightInit.RELU)
                .list();
        int nIn = 3;
        for (int b = 0; b < blockWidths.length; b++) {
            for (int d = 0; d < blockDepths[b]; d++) {
                list.layer(conv(FcnLayers.conv(b + 1, d + 1), nIn, blockWidths[b], 3, 1, Activation.RELU));
                nIn = blockWidths[b];
            }
            list.layer(pool(FcnLayers.pool(b + 1)));
        }
        list.layer(conv(FcnLayers.FC6, nIn, fc6Width, fc6Kernel, fc6Padding, Activation.RELU));
        list.layer(conv(FcnLayers.FC7, fc6Width, fc7Width, 1, 0, Activation.RELU));
        list.layer(new ConvolutionLayer.Builder(1, 1).name(FcnLayers.FC8).nIn(fc7Width).nOut(numClasses)
                .convolutionMode(ConvolutionMode.Truncate).weightInit(WeightInit.XAVIER)
                .activation(Activation.IDENTITY).build());
        list.layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).name("gmp").build());
        list.layer(new LossLayer.Builder(LossFunctions.LossFunction.XENT).name("loss")
                .activation(Activation.SIGMOID).build());
        list.setInputType(InputType.convolutional(minimumInputSize(), minimumInputSize(), 3));
        return list.build();
    }

    /**
     * The training network: the same body up to {@code fc8} (no pooling head, no loss; see class javadoc),
     * optionally with batch normalisation after every convolution below fc8 and dropout before fc7/fc8.
     *
     * @param numClasses    K (&gt; 0)
     * @param batchNorm     insert {@code _bn} and {@code _relu} layers after each convolution below fc8
     * @param dropoutRetain DL4J's retain probability for the inputs of fc7 and fc8 (1 = no dropout)
     * @param updater       the updater for all trainable parameters (batch-norm running statistics are
     *                      always updated by DL4J's own rule)
     * @param l2            L2 weight decay on weights (not biases), added to the gradient as in Caffe
     * @param seed          initialisation and dropout seed
     */
    public MultiLayerNetwork buildTrainingNetwork(int numClasses, boolean batchNorm, double dropoutRetain,
            IUpdater updater, double l2, long seed) {
        if (!(l2 >= 0) || !Double.isFinite(l2)) {
            throw new IllegalArgumentException("l2 must be >= 0 and finite, found " + l2);
        }
        return buildTrainingNetwork(numClasses, batchNorm, dropoutRetain, updater,
                l2 == 0 ? List.of() : List.of(new L2Regularization(l2)), seed);
    }

    /**
     * {@link #buildTrainingNetwork(int, boolean, double, IUpdater, double, long)} with any DL4J weight
     * regularisation, e.g. {@code new WeightDecay(λ, true)} (decoupled weight decay, AdamW's) instead of L2.
     * It applies to the convolution weights only: biases and batch-norm parameters are not regularised.
     *
     * @param weightRegularization applied to the weights of every convolution (empty for none)
     */
    public MultiLayerNetwork buildTrainingNetwork(int numClasses, boolean batchNorm, double dropoutRetain,
            IUpdater updater, List<Regularization> weightRegularization, long seed) {
        requireClasses(numClasses);
        if (!(dropoutRetain > 0 && dropoutRetain <= 1)) {
            throw new IllegalArgumentException("dropoutRetain must be in (0, 1], found " + dropoutRetain);
        }
        Objects.requireNonNull(weightRegularization, "weightRegularization");
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).updater(updater).weightInit(WeightInit.RELU)
                .regularization(List.copyOf(weightRegularization)).regularizationBias(List.of())
                // the trainer calls backpropGradient with its own loss gradient: keep activations outside workspaces
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
                .list();
        int nIn = 3;
        Activation convAct = batchNorm ? Activation.IDENTITY : Activation.RELU;
        for (int b = 0; b < blockWidths.length; b++) {
            for (int d = 0; d < blockDepths[b]; d++) {
                String n = FcnLayers.conv(b + 1, d + 1);
                list.layer(conv(n, nIn, blockWidths[b], 3, 1, convAct));
                nIn = blockWidths[b];
                if (batchNorm) {
                    addBnRelu(list, n, nIn);
                }
            }
            list.layer(pool(FcnLayers.pool(b + 1)));
        }
        list.layer(conv(FcnLayers.FC6, nIn, fc6Width, fc6Kernel, fc6Padding, convAct));
        if (batchNorm) {
            addBnRelu(list, FcnLayers.FC6, fc6Width);
        }
        ConvolutionLayer.Builder fc7 = new ConvolutionLayer.Builder(1, 1).name(FcnLayers.FC7).nIn(fc6Width).nOut(fc7Width)
                .convolutionMode(ConvolutionMode.Truncate).activation(convAct);
        if (dropoutRetain < 1) {
            fc7.dropOut(dropoutRetain);
        }
        list.layer(fc7.build());
        if (batchNorm) {
            addBnRelu(list, FcnLayers.FC7, fc7Width);
        }
        ConvolutionLayer.Builder fc8 = new ConvolutionLayer.Builder(1, 1).name(FcnLayers.FC8).nIn(fc7Width)
                .nOut(numClasses).convolutionMode(ConvolutionMode.Truncate).weightInit(WeightInit.XAVIER)
                .activation(Activation.IDENTITY);
        if (dropoutRetain < 1) {
            fc8.dropOut(dropoutRetain);
        }
        list.layer(fc8.build());
        list.setInputType(InputType.convolutional(minimumInputSize(), minimumInputSize(), 3));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /**
     * Copies the weights of a training network ({@link #buildTrainingNetwork}, with or without batch
     * normalisation) into a fresh inference network, folding each {@code name_bn} into the preceding
     * convolution: with per-channel scale {@code a = γ / sqrt(σ² + ε)}, {@code W' = a·W} and
     * {@code b' = a·(b − μ) + β} (running mean μ and variance σ²), which equals the training network in
     * inference mode followed by global max pooling and the sigmoid. The result shares no memory with
     * {@code training}.
     *
     * @throws IllegalArgumentException when {@code training} lacks a layer of this architecture or a
     *                                  parameter has another shape
     */
    public MultiLayerNetwork toInferenceNetwork(MultiLayerNetwork training, int numClasses) {
        MultiLayerNetwork inference = buildInferenceNetwork(numClasses, 0);
        copyFolded(training, inference);
        return inference;
    }

    /**
     * Copies (and folds, see {@link #toInferenceNetwork}) every convolution's parameters of {@code from}
     * into the same-named layer of {@code into}; batch-norm layers of {@code into}, if any, are reset to
     * the identity (γ = 1, β = 0, μ = 0, σ² = 1 − ε). Used to start training from an inference model.
     */
    public void copyFolded(MultiLayerNetwork from, MultiLayerNetwork into) {
        List<String> fromNames = layerNames(from);
        for (org.deeplearning4j.nn.api.Layer layer : into.getLayers()) {
            String n = layer.conf().getLayer().getLayerName();
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                Map<String, INDArray> p = layer.paramTable();
                p.get(BatchNormalizationParamInitializer.GAMMA).assign(1);
                p.get(BatchNormalizationParamInitializer.BETA).assign(0);
                p.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).assign(0);
                if (p.containsKey(BatchNormalizationParamInitializer.GLOBAL_VAR)) {
                    p.get(BatchNormalizationParamInitializer.GLOBAL_VAR).assign(1 - BN_EPS);
                } else {
                    p.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).assign(0);
                }
                continue;
            }
            if (!(layer.conf().getLayer() instanceof ConvolutionLayer)) {
                continue;
            }
            if (!fromNames.contains(n)) {
                throw new IllegalArgumentException("Source network has no layer '" + n + "'; its layers: "
                        + fromNames);
            }
            INDArray w = from.getLayer(n).getParam(ConvolutionParamInitializer.WEIGHT_KEY).dup();
            INDArray b = from.getLayer(n).getParam(ConvolutionParamInitializer.BIAS_KEY).dup();
            INDArray wInto = layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY);
            INDArray bInto = layer.getParam(ConvolutionParamInitializer.BIAS_KEY);
            if (!Arrays.equals(w.shape(), wInto.shape())) {
                throw new IllegalArgumentException("Layer '" + n + "' weights have shape "
                        + Arrays.toString(w.shape()) + " in the source, " + Arrays.toString(wInto.shape())
                        + " in the target");
            }
            if (fromNames.contains(n + BN_SUFFIX)) {
                Map<String, INDArray> bn = from.getLayer(n + BN_SUFFIX).paramTable();
                INDArray gamma = bn.get(BatchNormalizationParamInitializer.GAMMA).reshape(-1).castTo(DataType.DOUBLE);
                INDArray beta = bn.get(BatchNormalizationParamInitializer.BETA).reshape(-1).castTo(DataType.DOUBLE);
                INDArray mean = bn.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(-1).castTo(DataType.DOUBLE);
                INDArray std;
                if (bn.containsKey(BatchNormalizationParamInitializer.GLOBAL_VAR)) {
                    std = org.nd4j.linalg.ops.transforms.Transforms.sqrt(
                            bn.get(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(-1).castTo(DataType.DOUBLE)
                                    .add(BN_EPS), false);
                } else {
                    // DL4J's log-std form stores log10(sqrt(var + eps))
                    std = org.nd4j.linalg.ops.transforms.Transforms.exp(
                            bn.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).reshape(-1)
                                    .castTo(DataType.DOUBLE).mul(Math.log(10)), false);
                }
                INDArray scale = gamma.div(std);
                INDArray scaleF = scale.castTo(w.dataType());
                w.muli(scaleF.reshape(scale.length(), 1, 1, 1));
                INDArray bd = b.reshape(-1).castTo(DataType.DOUBLE);
                INDArray newB = bd.sub(mean).muli(scale).addi(beta);
                b = newB.castTo(b.dataType()).reshape(b.shape());
            }
            wInto.assign(w);
            bInto.assign(b);
        }
    }

    private static List<String> layerNames(MultiLayerNetwork net) {
        List<String> names = new ArrayList<>();
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            names.add(l.conf().getLayer().getLayerName());
        }
        return names;
    }

    private static void addBnRelu(NeuralNetConfiguration.ListBuilder list, String n, int channels) {
        list.layer(new BatchNormalization.Builder().name(n + BN_SUFFIX).nIn(channels).nOut(channels)
                .eps(BN_EPS).useLogStd(false).build());
        list.layer(new ActivationLayer.Builder().name(n + RELU_SUFFIX).activation(Activation.RELU).build());
    }

    private static ConvolutionLayer conv(String name, int nIn, int nOut, int k, int pad, Activation act) {
        return new ConvolutionLayer.Builder(k, k).name(name).nIn(nIn).nOut(nOut).stride(1, 1).padding(pad, pad)
                .convolutionMode(ConvolutionMode.Truncate).activation(act).build();
    }

    private static SubsamplingLayer pool(String name) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name(name).kernelSize(2, 2)
                .stride(2, 2).convolutionMode(ConvolutionMode.Truncate).build();
    }

    private static void requireClasses(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, found " + numClasses);
        }
    }

    /**
     * This architecture as {@code key → value} text, under {@code architecture} (the name) and
     * {@code arch.*} keys, in the order {@link #fromProperties} reads them: what a model folder's
     * {@code model.properties} and a training checkpoint record.
     */
    public Map<String, String> toProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("architecture", name);
        p.put("arch.blockWidths", join(blockWidths));
        p.put("arch.blockDepths", join(blockDepths));
        p.put("arch.fc6Width", Integer.toString(fc6Width));
        p.put("arch.fc7Width", Integer.toString(fc7Width));
        p.put("arch.fc6Kernel", Integer.toString(fc6Kernel));
        p.put("arch.fc6Padding", Integer.toString(fc6Padding));
        return p;
    }

    /**
     * Reads {@link #toProperties()}'s keys.
     *
     * @param properties looks a key up (e.g. {@code Properties::getProperty}); null for a missing key
     * @throws IllegalArgumentException naming a missing or bad key and its value
     */
    public static VggStyleFcn fromProperties(java.util.function.Function<String, String> properties) {
        return builder().name(required(properties, "architecture"))
                .blockWidths(ints(properties, "arch.blockWidths"))
                .blockDepths(ints(properties, "arch.blockDepths"))
                .fc6Width(integer(properties, "arch.fc6Width"))
                .fc7Width(integer(properties, "arch.fc7Width"))
                .fc6Kernel(integer(properties, "arch.fc6Kernel"))
                .fc6Padding(integer(properties, "arch.fc6Padding")).build();
    }

    private static String required(java.util.function.Function<String, String> properties, String key) {
        String v = properties.apply(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing property '" + key + "'");
        }
        return v.strip();
    }

    /** Entry {@code key} as exactly one whole number. */
    private static int integer(java.util.function.Function<String, String> properties, String key) {
        int[] v = ints(properties, key);
        if (v.length != 1) {
            throw new IllegalArgumentException("entry '" + key + "' must be a whole number, found '"
                    + UntrustedText.printable(properties.apply(key).strip()) + "'");
        }
        return v[0];
    }

    private static int[] ints(java.util.function.Function<String, String> properties, String key) {
        String v = required(properties, key);
        String[] parts = v.split(",", -1);
        if (parts.length > 64) {
            throw new IllegalArgumentException("entry '" + key + "' lists " + parts.length + " values; at most 64");
        }
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("entry '" + key + "' must be " + (parts.length == 1 ? "a whole number"
                        : "whole numbers separated by commas") + ", found '" + UntrustedText.printable(v) + "'", e);
            }
        }
        return out;
    }

    private static String join(int[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VggStyleFcn v && name.equals(v.name) && Arrays.equals(blockWidths, v.blockWidths)
                && Arrays.equals(blockDepths, v.blockDepths) && fc6Width == v.fc6Width && fc7Width == v.fc7Width
                && fc6Kernel == v.fc6Kernel && fc6Padding == v.fc6Padding;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(blockWidths) * 17 + Arrays.hashCode(blockDepths)
                + fc6Width * 7 + fc7Width * 5 + fc6Kernel * 3 + fc6Padding;
    }

    @Override
    public String toString() {
        return name + "{widths=" + Arrays.toString(blockWidths) + ", depths=" + Arrays.toString(blockDepths)
                + ", fc6=" + fc6Width + " " + fc6Kernel + "x" + fc6Kernel + " pad " + fc6Padding + ", fc7="
                + fc7Width + "}";
    }

    /** Fluent builder; {@link #build()} validates every field. */
    public static final class Builder {
        private String name = "VggStyleFcn";
        private int[] blockWidths = new int[0];
        private int[] blockDepths = new int[0];
        private int fc6Width;
        private int fc7Width;
        private int fc6Kernel = 1;
        private int fc6Padding;

        private Builder() {
        }

        /** Architecture name (non-blank, no '=' or line breaks). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Output channels of each block, e.g. 64, 128, 256, 512, 512 for VGG-16. */
        public Builder blockWidths(int... widths) {
            this.blockWidths = widths.clone();
            return this;
        }

        /** 3×3 convolutions per block, e.g. 2, 2, 3, 3, 3 for VGG-16. */
        public Builder blockDepths(int... depths) {
            this.blockDepths = depths.clone();
            return this;
        }

        /** Output channels of fc6. */
        public Builder fc6Width(int width) {
            this.fc6Width = width;
            return this;
        }

        /** Output channels of fc7. */
        public Builder fc7Width(int width) {
            this.fc7Width = width;
            return this;
        }

        /** Kernel size of fc6. */
        public Builder fc6Kernel(int kernel) {
            this.fc6Kernel = kernel;
            return this;
        }

        /** Zero padding of fc6 per side (must be smaller than the kernel). */
        public Builder fc6Padding(int padding) {
            this.fc6Padding = padding;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first bad field and its value
         */
        public VggStyleFcn build() {
            if (name == null || name.isBlank() || name.contains("=") || name.contains("\n")) {
                throw new IllegalArgumentException("name must be non-blank without '=' or line breaks, found '"
                        + name + "'");
            }
            if (blockWidths.length == 0) {
                throw new IllegalArgumentException("blockWidths must name at least one block, found []");
            }
            if (blockDepths.length != blockWidths.length) {
                throw new IllegalArgumentException("blockDepths must have one entry per block ("
                        + blockWidths.length + "), found " + Arrays.toString(blockDepths));
            }
            for (int i = 0; i < blockWidths.length; i++) {
                if (blockDepths[i] < 1 || blockDepths[i] > MAX_BLOCK_DEPTH) {
                    throw new IllegalArgumentException("blockDepths[" + i + "] must be in [1, " + MAX_BLOCK_DEPTH
                            + "], found " + blockDepths[i]);
                }
            }
            if (blockWidths.length > 8) {
                throw new IllegalArgumentException("at most 8 blocks are supported, found " + blockWidths.length);
            }
            for (int i = 0; i < blockWidths.length; i++) {
                requireWidth("blockWidths[" + i + "]", blockWidths[i]);
            }
            requireWidth("fc6Width", fc6Width);
            requireWidth("fc7Width", fc7Width);
            if (fc6Kernel < 1 || fc6Kernel > MAX_FC6_KERNEL) {
                throw new IllegalArgumentException("fc6Kernel must be in [1, " + MAX_FC6_KERNEL + "], found "
                        + fc6Kernel);
            }
            if (fc6Padding < 0 || fc6Padding >= fc6Kernel) {
                throw new IllegalArgumentException("fc6Padding must be in [0, fc6Kernel - 1] = [0, "
                        + (fc6Kernel - 1) + "], found " + fc6Padding);
            }
            long minimumInput = (1L << blockWidths.length) * Math.max(1, fc6Kernel - 2 * fc6Padding);
            if (minimumInput > MAX_MINIMUM_INPUT_SIZE) {
                throw new IllegalArgumentException("the minimum input size 2^blocks * max(1, fc6Kernel - 2 * fc6Padding)"
                        + " = 2^" + blockWidths.length + " * " + Math.max(1, fc6Kernel - 2 * fc6Padding) + " = "
                        + minimumInput + " must be at most " + MAX_MINIMUM_INPUT_SIZE);
            }
            return new VggStyleFcn(this);
        }

        private static void requireWidth(String field, int width) {
            if (width < 1 || width > MAX_WIDTH) {
                throw new IllegalArgumentException(field + " must be in [1, " + MAX_WIDTH + "], found " + width);
            }
        }
    }
}
