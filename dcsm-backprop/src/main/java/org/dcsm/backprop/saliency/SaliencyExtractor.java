package org.dcsm.backprop.saliency;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dcsm.backprop.net.FcnLayers;
import org.dcsm.core.BilinearResize;
import org.dcsm.core.ClassIds;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.Validation;
import org.dcsm.core.impl.NdArrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Class saliency maps by back-propagation to intermediate layers (Shimoda and Yanai, ECCV 2016,
 * §3.3, Eq. 3), for a fully convolutional multi-label DL4J network.
 *
 * <p>For one preprocessed image and each input scale: one forward pass gives the {@code K×h×w} class
 * score map (layer {@code fc8} by default) and the class scores {@code S_k} = its global max (Eq. 1);
 * candidates are the classes with {@code sigmoid(S_k) > threshold}, topped up by rank to at least
 * {@code minCandidates} (or the class ids the caller gives, e.g. the ground-truth labels). Then, for
 * every candidate {@code c}, the score map with 1 at every position of channel {@code c} and 0
 * elsewhere is back-propagated — by guided back-propagation (default) or plain back-propagation — to
 * the requested layers; the derivative {@code v_i^c} at each layer (Eq. 3; by default with respect to its
 * input to the ReLU, as the authors' code reads it, see {@link #DEFAULT_POINT} and {@link DerivativePoint}) is
 * reduced to {@code max_k |v|} over channels and up-sampled bilinearly (half-pixel centres,
 * {@link BilinearResize}) to the original image size, giving {@code M_i^c}. The sequence is: channel
 * max of the layer-resolution derivative, then one resize to the image — the paper resizes first
 * and takes the channel max after; the two differ only in how interpolation and max commute.
 *
 * <p><b>Efficiency.</b> The forward pass of each scale is shared by all candidates; the candidates'
 * backward passes run as one batch (batch dimension = candidates); only gradients with respect to
 * activations are computed (no weight gradients) and the walk stops at the lowest requested layer.
 * The walk ({@code FcnWalk}) runs libnd4j's {@code conv2d} forward, and computes a convolution's input
 * gradient as a {@code conv2d} of the gradient with the flipped kernel (or, for 1×1, strided and fc6-like
 * kernels, one GEMM and a col2im); max pooling records its winners once ({@code MaxPoolArgmax}) and routes
 * every candidate's gradient there. It does not use DL4J's training backward, {@code deconv2d} or
 * {@code maxpool2d_bp}.
 *
 * <p><b>Network contract.</b> A {@link MultiLayerNetwork} whose layers up to the score layer are
 * named convolutions (ReLU or identity), MAX subsampling, ReLU activation or dropout layers, NCHW,
 * input {@code 1×C×H×W} already preprocessed; the score layer is a convolution with the identity
 * activation. Layers above it (global max pooling, sigmoid loss) are not run: the scores are
 * computed from the score map. No batch normalisation at inference (fold it first).
 *
 * <p>The pseudo layer {@value #INPUT} is the network input: requesting it with plain back-propagation
 * gives Simonyan et al.'s saliency (see {@link #simonyan(MultiLayerNetwork)}).
 *
 * <p>Immutable and thread-compatible: it holds the network (not a copy of its weights — do not train
 * the network while extracting) and its settings. Intra-op parallelism is ND4J's (its OpenMP thread
 * count, set by the application through {@code OMP_NUM_THREADS}); the extractor starts no threads.
 *
 * <p><b>Memory.</b> Each {@code extract} call closes every ND4J array it makes (input copy, scaled and padded
 * inputs, activations, gradients, flipped kernels) before it returns, so their native memory does not wait for
 * the garbage collector; the result's maps live on the Java heap ({@link ClassMaps}).
 */
public final class SaliencyExtractor {

    /** The pseudo layer name of the network input (for Simonyan et al.'s input-gradient saliency). */
    public static final String INPUT = FcnWalk.INPUT;

    /** The paper's best layer set (Table 2): every convolution of VGG-16's blocks 3, 4 and 5. */
    public static final List<String> PAPER_LAYERS = List.of("conv3_1", "conv3_2", "conv3_3",
            "conv4_1", "conv4_2", "conv4_3", "conv5_1", "conv5_2", "conv5_3");

    private final MultiLayerNetwork net;
    private final FcnWalk walk;
    private final List<String> layers;
    private final boolean guided;
    private final double threshold;
    private final int minCandidates;
    private final int[] scales;
    private final double[] scaleFactors;
    private final DerivativePoint point;
    private final ScoreSeed seed;
    private final String scoreLayer;

    private final int lowestStep;
    private final boolean[] record;
    private final boolean recordInput;

    private SaliencyExtractor(Builder b, FcnWalk walk) {
        this.net = b.net;
        this.walk = walk;
        this.layers = List.copyOf(b.layers);
        this.guided = b.guided;
        this.threshold = b.threshold;
        this.minCandidates = b.minCandidates;
        this.scales = b.scales.clone();
        this.scaleFactors = b.scaleFactors.clone();
        this.point = b.point;
        this.seed = b.seed;
        this.scoreLayer = b.scoreLayer;
        this.record = new boolean[walk.stepCount()];
        int lowest = Integer.MAX_VALUE;
        boolean input = false;
        for (String layer : layers) {
            int i = walk.indexOf(layer);
            if (i == -1) {
                input = true;
            } else {
                record[i] = true;
            }
            lowest = Math.min(lowest, i);
        }
        this.lowestStep = lowest;
        this.recordInput = input;
    }

    /** A builder for an extractor on {@code net}; {@link Builder#layers} must be set. */
    public static Builder forNetwork(MultiLayerNetwork net) {
        return new Builder(Objects.requireNonNull(net, "net"));
    }

    /**
     * The paper's extractor on a VGG-16 FCN ({@code net} with the layers of {@link #PAPER_LAYERS}): guided
     * back-propagation to every convolution of blocks 3–5 (Table 2), the builder's other defaults. A network of
     * another architecture names its own layers with {@link #forNetwork}.
     *
     * @throws IllegalArgumentException naming the missing layer and the network's layers, when {@code net} lacks
     *                                  one of {@link #PAPER_LAYERS}
     */
    public static SaliencyExtractor paper(MultiLayerNetwork net) {
        return forNetwork(net).layers(PAPER_LAYERS).build();
    }

    /**
     * A builder holding this extractor's settings and network, to derive another extractor from it (e.g.
     * {@code extractor.toBuilder().guided(false).build()} for the plain-BP ablation).
     */
    public Builder toBuilder() {
        Builder b = new Builder(net);
        b.layers = new ArrayList<>(layers);
        b.guided = guided;
        b.threshold = threshold;
        b.minCandidates = minCandidates;
        b.scales = scales.clone();
        b.scaleFactors = scaleFactors.clone();
        b.point = point;
        b.seed = seed;
        b.scoreLayer = scoreLayer;
        return b;
    }

    /**
     * A builder preset to Simonyan et al.'s class saliency (the paper's baseline, Table 1): plain
     * back-propagation of the image-level class score {@code S_c} (Eq. 2, the global max of the class's
     * score map: {@link ScoreSeed#GLOBAL_MAX}) to the input image, {@code max |·|} over the colour
     * channels. That is Simonyan et al.'s definition, the derivative of the class score the network
     * classifies with. The sum of the score map ({@link ScoreSeed#SCORE_MAP}, what this preset used
     * before) is a weaker baseline: on a confident image its gradient spreads over every position of the
     * map, background included (docs/RESULTS.md, issue 11: 8.7 against 40.6 mIoU with a CRF on the same
     * network). All settings can still be changed.
     */
    public static Builder simonyan(MultiLayerNetwork net) {
        return forNetwork(net).layers(INPUT).guided(false).seed(ScoreSeed.GLOBAL_MAX);
    }

    /**
     * Where derivatives are read by default: {@link DerivativePoint#PRE_ACTIVATION}, the layer's input to
     * its ReLU, as the authors' Caffe code reads them. Chosen by measurement (docs/RESULTS.md, "Derivative
     * point"); see {@link DerivativePoint}.
     */
    public static final DerivativePoint DEFAULT_POINT = DerivativePoint.PRE_ACTIVATION;

    /**
     * Settings of a {@link SaliencyExtractor}; validated in {@link #build()}. Defaults: guided
     * back-propagation, threshold 0.5, at least 3 candidates (paper), the input at its own size,
     * derivatives at {@link #DEFAULT_POINT}, the whole score map as seed, score layer {@code fc8}.
     */
    public static final class Builder {
        private final MultiLayerNetwork net;
        private List<String> layers = List.of();
        private boolean guided = true;
        private double threshold = 0.5;
        private int minCandidates = 3;
        private int[] scales = new int[0];
        private double[] scaleFactors = new double[0];
        private DerivativePoint point = DEFAULT_POINT;
        private ScoreSeed seed = ScoreSeed.SCORE_MAP;
        private String scoreLayer = FcnLayers.FC8;

        private Builder(MultiLayerNetwork net) {
            this.net = net;
        }

        /** The layers whose derivatives become maps (at least one; see {@link #PAPER_LAYERS}, {@link #INPUT}). */
        public Builder layers(String... names) {
            return layers(Arrays.asList(Objects.requireNonNull(names, "layers")));
        }

        /** The layers whose derivatives become maps, in the order of the result's entries. */
        public Builder layers(List<String> names) {
            this.layers = new ArrayList<>(Objects.requireNonNull(names, "layers"));
            return this;
        }

        /** Guided back-propagation (true, the paper's choice) or plain back-propagation (false). */
        public Builder guided(boolean guided) {
            this.guided = guided;
            return this;
        }

        /** Candidates are classes with probability strictly above this, in [0, 1] (paper 0.5). */
        public Builder candidateThreshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** At least this many candidates, topped up by rank (paper 3, authors' code 4); ≥ 0. */
        public Builder minCandidates(int n) {
            this.minCandidates = n;
            return this;
        }

        /**
         * Input sizes, as the longest side in pixels (paper: 400, 500, 600); the input is resized
         * bilinearly keeping its aspect ratio. None (the default) means the input as given.
         */
        public Builder scales(int... longestSides) {
            this.scales = Objects.requireNonNull(longestSides, "scales").clone();
            return this;
        }

        /**
         * Input sizes as factors of each image's own longest side (e.g. 1, 1.25, 1.5): every image runs at
         * scales derived from its own size, as the paper's multi-scale aggregation does, whatever other
         * images look like. Factors in (0, 16]; sizes that round to the same pixel count run once. Not
         * together with {@link #scales(int...)}.
         */
        public Builder scaleFactors(double... factors) {
            this.scaleFactors = Objects.requireNonNull(factors, "scaleFactors").clone();
            return this;
        }

        /** Where the derivative is read at each layer (default {@link SaliencyExtractor#DEFAULT_POINT}). */
        public Builder derivativeAt(DerivativePoint point) {
            this.point = Objects.requireNonNull(point, "derivativeAt");
            return this;
        }

        /** What is back-propagated from the score map (default {@link ScoreSeed#SCORE_MAP}). */
        public Builder seed(ScoreSeed seed) {
            this.seed = Objects.requireNonNull(seed, "seed");
            return this;
        }

        /** The name of the class score layer (default {@code fc8}). */
        public Builder scoreLayer(String name) {
            this.scoreLayer = Objects.requireNonNull(name, "scoreLayer");
            return this;
        }

        /**
         * Validates the settings against the network.
         *
         * @throws IllegalStateException    when no layers were set
         * @throws IllegalArgumentException naming the bad setting: an unknown or repeated
         *                                  layer (the message lists the available ones), a threshold
         *                                  outside [0, 1], a negative minimum, a non-positive or
         *                                  repeated scale, a network without the score layer or with a
         *                                  layer the backward walk does not support
         */
        public SaliencyExtractor build() {
            checkSettings(threshold, minCandidates, scales, scaleFactors);
            FcnWalk walk = FcnWalk.of(net, scoreLayer);
            if (layers.isEmpty()) {
                throw new IllegalStateException("layers not set: name at least one layer; available: "
                        + walk.layerNames() + " (the paper's choice: SaliencyExtractor.PAPER_LAYERS)");
            }
            for (int i = 0; i < layers.size(); i++) {
                String name = layers.get(i);
                if (name == null || walk.indexOf(name) == -2) {
                    throw new IllegalArgumentException("Unknown layer '" + name + "' in layers; available: "
                            + walk.layerNames());
                }
                if (layers.subList(0, i).contains(name)) {
                    throw new IllegalArgumentException("Layer '" + name + "' appears twice in layers " + layers);
                }
            }
            return new SaliencyExtractor(this, walk);
        }
    }

    /**
     * The checks of {@link Builder#build()} that do not need the network, for settings held before a network is at
     * hand (the pipeline's {@code MethodSettings}): the one place these settings are validated.
     *
     * @param candidateThreshold as {@link Builder#candidateThreshold}
     * @param minCandidates      as {@link Builder#minCandidates}
     * @param scales             as {@link Builder#scales}; not modified
     * @param scaleFactors       as {@link Builder#scaleFactors}; not modified
     * @throws IllegalArgumentException naming the bad setting and its value: a threshold outside [0, 1], a negative
     *                                  minimum, a non-positive or repeated scale, a scale factor outside
     *                                  (0, {@value #MAX_SCALE_FACTOR}] or repeated, or both scales and factors
     */
    public static void checkSettings(double candidateThreshold, int minCandidates, int[] scales,
                                     double[] scaleFactors) {
        Objects.requireNonNull(scales, "scales");
        Objects.requireNonNull(scaleFactors, "scaleFactors");
        if (!(candidateThreshold >= 0.0 && candidateThreshold <= 1.0)) {
            throw new IllegalArgumentException("candidateThreshold must be in [0, 1], found " + candidateThreshold);
        }
        if (minCandidates < 0) {
            throw new IllegalArgumentException("minCandidates must be >= 0, found " + minCandidates);
        }
        for (int i = 0; i < scales.length; i++) {
            if (scales[i] <= 0) {
                throw new IllegalArgumentException("scales must be > 0, found " + scales[i]);
            }
            for (int j = 0; j < i; j++) {
                if (scales[i] == scales[j]) {
                    throw new IllegalArgumentException("scales must be distinct, found " + scales[i]
                            + " twice in " + Arrays.toString(scales));
                }
            }
        }
        for (int i = 0; i < scaleFactors.length; i++) {
            if (!(scaleFactors[i] > 0 && scaleFactors[i] <= MAX_SCALE_FACTOR)) {
                throw new IllegalArgumentException("scaleFactors must be in (0, " + MAX_SCALE_FACTOR
                        + "], found " + scaleFactors[i]);
            }
            for (int j = 0; j < i; j++) {
                if (scaleFactors[i] == scaleFactors[j]) {
                    throw new IllegalArgumentException("scaleFactors must be distinct, found " + scaleFactors[i]
                            + " twice in " + Arrays.toString(scaleFactors));
                }
            }
        }
        if (scales.length > 0 && scaleFactors.length > 0) {
            throw new IllegalArgumentException("Set scales (fixed sizes) or scaleFactors (of each image's "
                    + "size), not both; found " + Arrays.toString(scales) + " and "
                    + Arrays.toString(scaleFactors));
        }
    }

    /** The requested layers, in entry order (unmodifiable). */
    public List<String> layers() {
        return layers;
    }

    /** Whether guided back-propagation is used. */
    public boolean guided() {
        return guided;
    }

    /** The configured scales (longest side); empty means the input as given. A copy. */
    public int[] scales() {
        return scales.clone();
    }

    /** The configured factors of each image's longest side; empty when fixed scales or none are set. A copy. */
    public double[] scaleFactors() {
        return scaleFactors.clone();
    }

    /** The largest scale factor accepted ({@link Builder#scaleFactors}). */
    public static final double MAX_SCALE_FACTOR = 16;

    /**
     * The input sizes (longest side, distinct, in order) an image of {@code height × width} runs at: the fixed
     * scales, or the factors of its own longest side, or its own longest side.
     */
    public int[] scalesFor(int height, int width) {
        if (scales.length > 0) {
            return scales.clone();
        }
        int longest = Math.max(height, width);
        if (scaleFactors.length == 0) {
            return new int[] {longest};
        }
        return Arrays.stream(scaleFactors).mapToLong(f -> Math.round(f * longest))
                .mapToInt(v -> (int) Math.max(1, Math.min(Integer.MAX_VALUE, v))).distinct().toArray();
    }

    /**
     * An upper estimate of the memory, in bytes, that {@link #extract} needs for an image of {@code height ×
     * width} with {@code candidates} candidate classes ({@link SaliencyMemory}); computed from the
     * network's layers, without touching any pixel.
     */
    public long estimateBytes(int height, int width, int candidates) {
        return SaliencyMemory.bytes(walk, lowestStep, layers.size(), scalesFor(height, width), candidates, height,
                width);
    }

    /** Number of classes K the network scores. */
    public int classCount() {
        return (int) walk.classCount();
    }

    /** The smallest input height the network accepts (its score map must not vanish). */
    public int minimumHeight() {
        return (int) walk.minHeight();
    }

    /** The smallest input width the network accepts. */
    public int minimumWidth() {
        return (int) walk.minWidth();
    }

    /**
     * Scores, candidates and their maps: the candidates are chosen from the network's scores (probability above
     * the threshold, topped up by rank to {@code minCandidates}); each gets one map per requested layer and scale.
     *
     * <p>An image (or scaled image) below the network's minimum size ({@link #minimumHeight()} ×
     * {@link #minimumWidth()}) is padded with zeros (the mean colour in the preprocessed space, as training
     * pads its canvases) in the centre of a canvas of the minimum size; the maps are cropped back to the
     * image, so they cover exactly the image as for any other size.
     *
     * @param image the preprocessed image, {@code 1×C×H×W} or {@code C×H×W} (not modified, not closed)
     * @return the result; {@link SaliencyResult#isEmpty()} when no class was chosen (only with
     *         {@code minCandidates(0)})
     * @throws IllegalArgumentException for a wrong rank or channel count, or a non-finite value
     */
    public SaliencyResult extract(INDArray image) {
        return run(image, null);
    }

    /**
     * Maps for the given candidate class ids (e.g. the ground-truth labels), whatever their scores.
     *
     * @param classIds distinct ids in {@code 1..K}; at least one
     * @throws IllegalArgumentException as {@link #extract(INDArray)}, or for an empty, repeated or
     *                                  out-of-range class id
     */
    public SaliencyResult extract(INDArray image, int... classIds) {
        long k = walk.classCount();
        int[] sorted = ClassIds.of(classIds).requireWithin(1, k, "(the network scores " + k
                + " foreground classes; id 0 is the background)").toArray();
        Arrays.sort(sorted);
        return run(image, sorted);
    }

    /**
     * One extraction: {@link #forwardScales}, {@link #chooseChannels}, then {@link #addMapsOfScale} per scale. Every
     * ND4J array made here (the input copy, scaled and padded inputs, the forward activations, the flipped kernels,
     * the gradients and their channel maxima) is closed before returning; the result holds on-heap maps only.
     */
    private SaliencyResult run(INDArray image, int[] givenIds) {
        INDArray x = checkInput(image);
        int height = (int) x.size(2);
        int width = (int) x.size(3);
        int[] used = scalesFor(height, width);
        ScaleInput[] inputs = new ScaleInput[used.length];
        FcnWalk.Forward[] forwards = new FcnWalk.Forward[used.length];
        INDArray[] flipped = new INDArray[walk.stepCount()];
        try {
            double[] scores = forwardScales(x, used, inputs, forwards);
            int[] channels = chooseChannels(scores, givenIds);
            int[] ids = new int[channels.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = channels[i] + 1;
            }
            if (channels.length == 0) {
                return new SaliencyResult(scores, ids, used, height, width, null);
            }
            ClassMaps.Builder maps = ClassMaps.builder(ids);
            for (int j = 0; j < used.length; j++) {
                addMapsOfScale(maps, forwards[j], inputs[j], used[j], channels, height, width, flipped);
                forwards[j].close(); // the next scale's backward needs room more than these activations
            }
            return new SaliencyResult(scores, ids, used, height, width, maps.build());
        } finally {
            for (FcnWalk.Forward f : forwards) {
                if (f != null) {
                    f.close();
                }
            }
            for (ScaleInput in : inputs) {
                if (in != null) {
                    in.close(x);
                }
            }
            NdArrays.closeAll(flipped);
            x.close();
        }
    }

    /** One scale's network input: the scaled image and, when it is below the network's minimum, its padded canvas. */
    private record ScaleInput(INDArray scaled, INDArray padded) {

        /** Closes what was made for this scale; {@code x}, the extraction's own input, is closed by the caller. */
        void close(INDArray x) {
            if (padded != scaled && padded != x) {
                padded.close();
            }
            if (scaled != x) {
                scaled.close();
            }
        }
    }

    /**
     * Step 1: one forward pass per scale ({@code inputs[j]}, {@code forwards[j]} filled in; the caller closes them).
     *
     * @return the class scores {@code S_k} (Eq. 1), the max over scales of each scale's global max of the score map
     */
    private double[] forwardScales(INDArray x, int[] used, ScaleInput[] inputs, FcnWalk.Forward[] forwards) {
        long k = walk.classCount();
        double[] scores = new double[(int) k];
        Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        for (int j = 0; j < used.length; j++) {
            INDArray at = scaled(x, used[j]);
            inputs[j] = new ScaleInput(at, padded(at));
            forwards[j] = walk.forward(inputs[j].padded(), lowestStep);
            INDArray max = forwards[j].scoreMap.max(0, 2, 3);
            double[] s = NdArrays.toDoubles(max);
            max.close();
            for (int c = 0; c < k; c++) {
                scores[c] = Math.max(scores[c], s[c]);
            }
        }
        return scores;
    }

    /**
     * Step 2: the candidates' network channels (class id − 1): the given ids, or the classes with
     * {@code sigmoid(S_k) > threshold} topped up by rank to {@code minCandidates}.
     */
    private int[] chooseChannels(double[] scores, int[] givenIds) {
        if (givenIds != null) {
            int[] channels = new int[givenIds.length];
            for (int i = 0; i < channels.length; i++) {
                channels[i] = givenIds[i] - 1;
            }
            return channels;
        }
        double[] p = new double[scores.length];
        for (int c = 0; c < p.length; c++) {
            p[c] = 1.0 / (1.0 + Math.exp(-scores[c]));
        }
        return CandidateSelector.select(p, threshold, minCandidates);
    }

    /**
     * Step 3 for one scale: the batched backward walk of the candidates' seeds (Eq. 3), each requested layer's
     * derivative reduced to {@code max_k |v|} over channels and resized to the image, added to {@code maps} as the
     * entry (layer, {@code scale}).
     */
    private void addMapsOfScale(ClassMaps.Builder maps, FcnWalk.Forward forward, ScaleInput input, int scale,
                                int[] channels, int height, int width, INDArray[] flipped) {
        Map<String, float[]> byLayer = new LinkedHashMap<>();
        int b = channels.length;
        int sh = (int) input.scaled().size(2);
        int sw = (int) input.scaled().size(3);
        int ph = (int) forward.height();
        int pw = (int) forward.width();
        walk.backward(forward, seed(forward.scoreMap, channels), lowestStep, record, recordInput, guided,
                point == DerivativePoint.PRE_ACTIVATION, (layer, g) -> {
                    float[] flat = channelMaxOfAbs(g);
                    int h = (int) g.size(2);
                    int w = (int) g.size(3);
                    if (ph == sh && pw == sw) {
                        byLayer.put(layer, BilinearResize.resize(flat, b, h, w, null, height, width));
                    } else {
                        // padded: the map at the padded canvas's size, the image's part, then its size
                        float[] canvas = BilinearResize.resize(flat, b, h, w, null, ph, pw);
                        float[] crop = crop(canvas, b, ph, pw, (ph - sh) / 2, (pw - sw) / 2, sh, sw);
                        byLayer.put(layer, BilinearResize.resize(crop, b, sh, sw, null, height, width));
                    }
                }, flipped);
        for (String layer : layers) {
            maps.add(layer, scale, byLayer.get(layer), height, width);
        }
    }

    /** {@code max_k |g[b, k, y, x]|} of a {@code [B,K,h,w]} gradient as a row-major float {@code [B·h·w]}. */
    private static float[] channelMaxOfAbs(INDArray g) {
        INDArray m = g.amax(1);
        float[] flat = NdArrays.toFloats(m);
        m.close();
        return flat;
    }

    /**
     * The full derivatives {@code v_i^c} (Eq. 3) at every requested layer for the given channels,
     * one forward and one batched backward on the input as given: {@code [B, C_i, h_i, w_i]} in the
     * network's data type, row {@code b} for {@code channels[b]}. For tests (gradient check). Copies.
     */
    Map<String, INDArray> derivatives(INDArray image, int[] channels) {
        INDArray x = checkInput(image);
        checkSize(x.size(2), x.size(3));
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (FcnWalk.Forward f = walk.forward(x, lowestStep)) {
            walk.backward(f, seed(f.scoreMap, channels), lowestStep, record, recordInput, guided,
                    point == DerivativePoint.PRE_ACTIVATION, (layer, g) -> out.put(layer, g.dup()),
                    new INDArray[walk.stepCount()]);
        }
        return out;
    }

    /** The forward score map {@code [1,K,h,w]} of the input as given (a copy), for tests. */
    INDArray scoreMap(INDArray image) {
        INDArray x = checkInput(image);
        checkSize(x.size(2), x.size(3));
        try (FcnWalk.Forward f = walk.forward(x, walk.stepCount() - 1)) {
            return f.scoreMap.dup();
        }
    }

    private INDArray seed(INDArray scoreMap, int[] channels) {
        long k = scoreMap.size(1);
        long h = scoreMap.size(2);
        long w = scoreMap.size(3);
        INDArray g = Nd4j.zeros(scoreMap.dataType(), channels.length, k, h, w);
        for (int b = 0; b < channels.length; b++) {
            if (seed == ScoreSeed.SCORE_MAP) {
                g.get(NDArrayIndex.point(b), NDArrayIndex.point(channels[b]), NDArrayIndex.all(), NDArrayIndex.all())
                        .assign(1.0);
            } else {
                double[] plane = NdArrays.toDoubles(scoreMap.get(NDArrayIndex.point(0), NDArrayIndex.point(channels[b]),
                        NDArrayIndex.all(), NDArrayIndex.all()));
                int best = 0;
                for (int i = 1; i < plane.length; i++) {
                    if (plane[i] > plane[best]) {
                        best = i;
                    }
                }
                g.putScalar(new long[] {b, channels[b], best / w, best % w}, 1.0);
            }
        }
        return g;
    }

    private INDArray checkInput(INDArray image) {
        Objects.requireNonNull(image, "image");
        INDArray x;
        if (image.rank() == 3) {
            x = image.reshape(1, image.size(0), image.size(1), image.size(2));
        } else if (image.rank() == 4 && image.size(0) == 1) {
            x = image;
        } else {
            throw new IllegalArgumentException("image must be 1×C×H×W or C×H×W, found shape "
                    + Arrays.toString(image.shape()));
        }
        long channels = walk.inputChannels();
        if (x.size(1) != channels) {
            throw new IllegalArgumentException("image has " + x.size(1) + " channels, the network expects "
                    + channels + " (shape " + Arrays.toString(image.shape()) + ")");
        }
        Validation.requireFinite(x, "input image");
        INDArray cast = x.castTo(walk.dataType());
        INDArray copy = cast.dup('c');
        if (cast != x) {
            cast.close();
        }
        return copy;
    }

    private void checkSize(long h, long w) {
        if (h < walk.minHeight() || w < walk.minWidth()) {
            throw new IllegalArgumentException("The input is " + h + "x" + w
                    + " (HxW), below the network's minimum size " + walk.minHeight() + "x" + walk.minWidth());
        }
    }

    /** {@code x [1,C,h,w]} zero-padded into the centre of a canvas of the minimum size; x itself when large enough. */
    private INDArray padded(INDArray x) {
        long h = x.size(2);
        long w = x.size(3);
        long ph = Math.max(h, walk.minHeight());
        long pw = Math.max(w, walk.minWidth());
        if (ph == h && pw == w) {
            return x;
        }
        INDArray canvas = Nd4j.zeros(x.dataType(), 1, x.size(1), ph, pw);
        long top = (ph - h) / 2;
        long left = (pw - w) / 2;
        canvas.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(top, top + h),
                NDArrayIndex.interval(left, left + w)).assign(x);
        return canvas;
    }

    /** Rows {@code top..top+h} and columns {@code left..left+w} of each of the {@code b} planes of {@code src}. */
    static float[] crop(float[] src, int b, int srcH, int srcW, int top, int left, int h, int w) {
        float[] out = new float[b * h * w];
        for (int i = 0; i < b; i++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(src, (i * srcH + top + y) * srcW + left, out, (i * h + y) * w, w);
            }
        }
        return out;
    }

    static long[] scaledSize(int height, int width, int longest) {
        if (height >= width) {
            return new long[] {longest, Math.max(1, Math.round((double) width * longest / height))};
        }
        return new long[] {Math.max(1, Math.round((double) height * longest / width)), longest};
    }

    private INDArray scaled(INDArray x, int longest) {
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        long[] hw = scaledSize(h, w, longest);
        if (hw[0] == h && hw[1] == w) {
            return x;
        }
        int c = (int) x.size(1);
        float[] resized = BilinearResize.resize(NdArrays.toFloats(x), c, h, w, null, (int) hw[0], (int) hw[1]);
        INDArray r = Nd4j.create(resized, new long[] {1, c, hw[0], hw[1]}, 'c');
        INDArray cast = r.castTo(walk.dataType());
        if (cast != r) {
            r.close();
        }
        return cast;
    }

    @Override
    public String toString() {
        return "SaliencyExtractor[layers=" + layers + ", guided=" + guided + ", threshold=" + threshold
                + ", minCandidates=" + minCandidates + ", scales=" + Arrays.toString(scales) + ", scaleFactors="
                + Arrays.toString(scaleFactors) + ", point=" + point
                + ", seed=" + seed + ", scoreLayer=" + scoreLayer + "]";
    }
}
