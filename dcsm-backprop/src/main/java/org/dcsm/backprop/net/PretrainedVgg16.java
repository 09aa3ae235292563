package org.dcsm.backprop.net;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.dcsm.core.ClassList;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.VGG16;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ImageNet VGG-16 weights for {@link Vgg16Fcn}: from the DL4J model zoo or from a Keras HDF5 file, copied
 * into the fully convolutional network with the dense fc6/fc7 (and, for 1000 classes, fc8) weights reshaped
 * into convolutions.
 *
 * <p>Dense → convolution mapping. A DL4J {@code DenseLayer} holds its weights as [nIn, nOut]; its input is
 * the pool5 output [C, H, W] flattened by {@link CnnToFeedForwardPreProcessor}, in C-order (index
 * {@code c·H·W + y·W + x}) for NCHW networks and in H, W, C order (index {@code (y·W + x)·C + c}) for NHWC
 * networks (Keras' channels-last models, and DL4J's legacy {@code TensorFlowCnnToFeedForwardPreProcessor}).
 * The equivalent convolution, whose weights DL4J holds as [nOut, C, kH, kW], is therefore
 * {@code Wconv[o, c, y, x] = Wdense[flat(c, y, x), o]} ({@link #denseToConvolution}); the bias is unchanged.
 * With a 7×7 fc6 and a 224×224 input the FCN then computes exactly the ImageNet classifier.
 *
 * <p>Offline use: the zoo file ({@link #ZOO_FILE_NAME}) is looked up in DL4J's cache
 * ({@link #zooCacheFile()}, under {@code ~/.deeplearning4j/models/vgg16/} unless the DL4J resources
 * directory is changed). When it is missing and downloads are disabled (system property
 * {@value #OFFLINE_PROPERTY}{@code =true} or environment variable {@value #OFFLINE_ENV}{@code =1}) or the
 * server cannot be reached within {@link #CONNECT_TIMEOUT_MS} ms, an {@link IOException} says which URL to
 * download and where to put the file.
 */
public final class PretrainedVgg16 {

    private static final Logger LOG = LoggerFactory.getLogger(PretrainedVgg16.class);

    /** File name of DL4J's ImageNet VGG-16 in its zoo (and cache). */
    public static final String ZOO_FILE_NAME = "vgg16_dl4j_inference.zip";
    /** System property that forbids download attempts when set to {@code true}. */
    public static final String OFFLINE_PROPERTY = "dcsm.offline";
    /** Environment variable that forbids download attempts when set to {@code 1} or {@code true}. */
    public static final String OFFLINE_ENV = "DCSM_OFFLINE";
    /** System property DL4J reads (at start-up) for its resources directory instead of ~/.deeplearning4j. */
    public static final String DL4J_RESOURCES_PROPERTY = "org.deeplearning4j.resources.directory";
    /** Connect and read timeout of the reachability check, in milliseconds. */
    public static final int CONNECT_TIMEOUT_MS = 5000;

    private PretrainedVgg16() {
    }

    /** The URL DL4J downloads the ImageNet VGG-16 from. */
    public static String zooUrl() {
        return VGG16.builder().build().pretrainedUrl(PretrainedType.IMAGENET);
    }

    /** Where DL4J's zoo keeps (and looks for) the downloaded file. */
    public static Path zooCacheFile() {
        File dir = new File(DL4JResources.getBaseDirectory(), ResourceType.ZOO_MODEL.resourceName() + File.separator
                + "vgg16");
        return dir.toPath().resolve(ZOO_FILE_NAME);
    }

    /**
     * A VGG-16 FCN for {@code classes} initialised from the DL4J zoo's ImageNet weights (downloading them
     * when online and not yet cached). fc8 takes the ImageNet classifier when {@code classes} has 1000
     * foreground classes; otherwise it is freshly initialised (to be fine-tuned).
     *
     * @throws IOException when the weights are not cached and cannot be downloaded (the message names the
     *                     URL and the path to put the file at), or cannot be read
     */
    public static FcnModel fromZoo(ClassList classes, long seed) throws IOException {
        Path cached = zooCacheFile();
        if (!Files.isRegularFile(cached)) {
            String url = zooUrl();
            String how = "Download " + url + " and save it as " + cached.toAbsolutePath()
                    + " (the DL4J zoo cache; set the system property " + DL4J_RESOURCES_PROPERTY
                    + " to move it)";
            if (downloadsDisabled()) {
                throw new IOException("VGG-16 ImageNet weights are not cached and downloads are disabled ("
                        + OFFLINE_PROPERTY + "/" + OFFLINE_ENV + "). " + how);
            }
            if (!reachable(url)) {
                throw new IOException("VGG-16 ImageNet weights are not cached and " + url + " cannot be reached. "
                        + how);
            }
        }
        Model zoo;
        try {
            zoo = VGG16.builder().build().initPretrained(PretrainedType.IMAGENET);
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot load the DL4J zoo VGG-16 from " + cached.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
        return copyInto(zoo, classes, seed);
    }

    /**
     * A VGG-16 FCN initialised from a Keras HDF5 VGG-16 (e.g. {@code keras.applications.VGG16(weights=
     * "imagenet")} saved with {@code model.save("vgg16.h5")}), imported with deeplearning4j-modelimport.
     *
     * @throws IOException naming the file when it is missing or cannot be imported
     */
    public static FcnModel fromKerasHdf5(Path h5, ClassList classes, long seed) throws IOException {
        if (!Files.isRegularFile(h5)) {
            throw new IOException("Keras HDF5 file not found: " + h5.toAbsolutePath());
        }
        Model model;
        try {
            model = KerasModelImport.importKerasModelAndWeights(h5.toString(), false);
        } catch (Exception functional) {
            try {
                model = KerasModelImport.importKerasSequentialModelAndWeights(h5.toString(), false);
            } catch (Exception sequential) {
                IOException e = new IOException("Cannot import Keras model " + h5.toAbsolutePath() + ": "
                        + functional.getMessage());
                e.addSuppressed(sequential);
                throw e;
            }
        }
        return copyInto(model, classes, seed);
    }

    /**
     * Copies a VGG-16 classifier (13 convolutions then 3 dense layers, as a {@link MultiLayerNetwork} or a
     * {@link ComputationGraph}) into a new {@link Vgg16Fcn} for {@code classes}.
     *
     * @throws IllegalArgumentException when the source does not have VGG-16's parameter layers
     */
    public static FcnModel copyInto(Model source, ClassList classes, long seed) {
        VggStyleFcn arch = Vgg16Fcn.architecture();
        MultiLayerNetwork fcn = arch.buildInferenceNetwork(classes.foregroundCount(), seed);
        copyClassifierWeights(source, arch, fcn);
        return FcnModel.of(fcn, classes, arch);
    }

    /**
     * Copies the weights of a VGG-style classifier into an FCN of {@code arch}: the i-th convolution of the
     * source into the i-th of {@link VggStyleFcn#convLayerNames()}, the first dense layer into fc6
     * ({@link #denseToConvolution} with the source's flattening order), the second into fc7 and the third
     * into fc8 when its width equals fc8's (otherwise fc8 keeps its initialisation).
     *
     * @throws IllegalArgumentException when the layer counts or shapes do not match
     */
    public static void copyClassifierWeights(Model source, VggStyleFcn arch, MultiLayerNetwork fcn) {
        List<org.deeplearning4j.nn.api.Layer> convs = new ArrayList<>();
        List<org.deeplearning4j.nn.api.Layer> denses = new ArrayList<>();
        for (org.deeplearning4j.nn.api.Layer l : orderedLayers(source)) {
            if (l.numParams() == 0) {
                continue;
            }
            org.deeplearning4j.nn.conf.layers.Layer c = l.conf().getLayer();
            if (c instanceof ConvolutionLayer) {
                if (!denses.isEmpty()) {
                    throw new IllegalArgumentException("source has a convolution after a dense layer: '"
                            + c.getLayerName() + "'");
                }
                convs.add(l);
            } else if (c instanceof FeedForwardLayer && c instanceof BaseLayer) {
                denses.add(l);
            } else {
                throw new IllegalArgumentException("source layer '" + c.getLayerName() + "' ("
                        + c.getClass().getSimpleName() + ") has parameters but is neither a convolution nor dense");
            }
        }
        List<String> names = arch.convLayerNames();
        if (convs.size() != names.size() || denses.size() != 3) {
            throw new IllegalArgumentException("source has " + convs.size() + " convolutions and " + denses.size()
                    + " dense layers; " + arch.name() + " needs " + names.size() + " and 3");
        }
        for (int i = 0; i < names.size(); i++) {
            copy(convs.get(i).getParam(ConvolutionParamInitializer.WEIGHT_KEY),
                    fcn.getLayer(names.get(i)).getParam(ConvolutionParamInitializer.WEIGHT_KEY), names.get(i));
            copy(convs.get(i).getParam(ConvolutionParamInitializer.BIAS_KEY),
                    fcn.getLayer(names.get(i)).getParam(ConvolutionParamInitializer.BIAS_KEY), names.get(i) + " bias");
        }
        boolean channelsLast = flattensChannelsLast(source);
        LOG.info("Copying {} convolutions; dense weights flattened in {} order", names.size(),
                channelsLast ? "H,W,C" : "C,H,W");
        int k = arch.fc6Kernel();
        int c5 = arch.blockWidths()[arch.blockCount() - 1];
        String[] fcNames = {FcnLayers.FC6, FcnLayers.FC7, FcnLayers.FC8};
        for (int i = 0; i < 3; i++) {
            INDArray wDense = denses.get(i).getParam(DefaultParamInitializer.WEIGHT_KEY);
            INDArray target = fcn.getLayer(fcNames[i]).getParam(ConvolutionParamInitializer.WEIGHT_KEY);
            if (i == 2 && wDense.size(1) != target.size(0)) {
                LOG.info("Source classifier has {} outputs, fc8 has {}: fc8 keeps its initialisation",
                        wDense.size(1), target.size(0));
                break;
            }
            INDArray wConv = i == 0 ? denseToConvolution(wDense, c5, k, k, channelsLast)
                    : denseToConvolution(wDense, (int) wDense.size(0), 1, 1, false);
            copy(wConv, target, fcNames[i]);
            copy(denses.get(i).getParam(DefaultParamInitializer.BIAS_KEY),
                    fcn.getLayer(fcNames[i]).getParam(ConvolutionParamInitializer.BIAS_KEY), fcNames[i] + " bias");
        }
    }

    /**
     * Reshapes dense weights [C·kH·kW, nOut] into convolution weights [nOut, C, kH, kW] (a new array):
     * {@code out[o, c, y, x] = w[c·kH·kW + y·kW + x, o]}, or {@code w[(y·kW + x)·C + c, o]} when
     * {@code channelsLast}.
     *
     * @throws IllegalArgumentException when {@code w.size(0) != C·kH·kW}
     */
    public static INDArray denseToConvolution(INDArray w, int channels, int kh, int kw, boolean channelsLast) {
        if (w.rank() != 2 || w.size(0) != (long) channels * kh * kw) {
            throw new IllegalArgumentException("dense weights must be [" + ((long) channels * kh * kw)
                    + ", nOut] for " + channels + "x" + kh + "x" + kw + " inputs, found " + Arrays.toString(w.shape()));
        }
        long nOut = w.size(1);
        INDArray t = w.transpose(); // [nOut, nIn]
        if (!channelsLast) {
            return t.dup('c').reshape('c', nOut, channels, kh, kw);
        }
        // [nOut, kH, kW, C] -> [nOut, C, kH, kW]
        return t.dup('c').reshape('c', nOut, kh, kw, channels).permute(0, 3, 1, 2).dup('c');
    }

    private static void copy(INDArray from, INDArray into, String what) {
        if (from.length() != into.length() || (from.rank() == into.rank() && !Arrays.equals(from.shape(), into.shape())
                && from.rank() > 2)) {
            throw new IllegalArgumentException(what + ": source shape " + Arrays.toString(from.shape())
                    + " does not fit target shape " + Arrays.toString(into.shape()));
        }
        into.assign(from.reshape(into.shape()).castTo(into.dataType()));
    }

    private static List<org.deeplearning4j.nn.api.Layer> orderedLayers(Model source) {
        if (source instanceof MultiLayerNetwork mln) {
            return Arrays.asList(mln.getLayers());
        }
        if (source instanceof ComputationGraph cg) {
            List<org.deeplearning4j.nn.api.Layer> out = new ArrayList<>();
            for (int idx : cg.topologicalSortOrder()) {
                org.deeplearning4j.nn.graph.vertex.GraphVertex v = cg.getVertices()[idx];
                if (v.hasLayer()) {
                    out.add(v.getLayer());
                }
            }
            return out;
        }
        throw new IllegalArgumentException("source must be a MultiLayerNetwork or a ComputationGraph, found "
                + source.getClass().getName());
    }

    /** Whether the flattening in front of the first dense layer orders inputs H, W, C. */
    static boolean flattensChannelsLast(Model source) {
        List<InputPreProcessor> pre = new ArrayList<>();
        if (source instanceof MultiLayerNetwork mln) {
            for (int i = 0; i < mln.getnLayers(); i++) {
                InputPreProcessor p = mln.getLayerWiseConfigurations().getInputPreProcess(i);
                if (p != null) {
                    pre.add(p);
                }
            }
        } else if (source instanceof ComputationGraph cg) {
            for (GraphVertex v : cg.getConfiguration().getVertices().values()) {
                if (v instanceof LayerVertex lv && lv.getPreProcessor() != null) {
                    pre.add(lv.getPreProcessor());
                } else if (v instanceof PreprocessorVertex pv && pv.getPreProcessor() != null) {
                    pre.add(pv.getPreProcessor());
                }
            }
        }
        for (InputPreProcessor p : pre) {
            String name = p.getClass().getSimpleName().toLowerCase(Locale.ROOT);
            if (name.contains("tensorflowcnntofeedforward")) {
                return true;
            }
            if (p instanceof CnnToFeedForwardPreProcessor c) {
                return c.getFormat() == CNN2DFormat.NHWC;
            }
        }
        return false;
    }

    private static boolean downloadsDisabled() {
        String env = System.getenv(OFFLINE_ENV);
        return Boolean.parseBoolean(System.getProperty(OFFLINE_PROPERTY, "false"))
                || "1".equals(env) || "true".equalsIgnoreCase(env);
    }

    private static boolean reachable(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setRequestMethod("HEAD");
            c.setConnectTimeout(CONNECT_TIMEOUT_MS);
            c.setReadTimeout(CONNECT_TIMEOUT_MS);
            int code = c.getResponseCode();
            c.disconnect();
            return code >= 200 && code < 400;
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} not reachable: {}", url, e.toString());
            return false;
        }
    }
}
