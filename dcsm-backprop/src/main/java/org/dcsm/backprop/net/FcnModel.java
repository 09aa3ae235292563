package org.dcsm.backprop.net;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

import org.dcsm.core.ClassList;
import org.dcsm.core.UntrustedText;
import org.dcsm.core.impl.NdArrays;
import org.dcsm.core.io.AtomicFiles;
import org.dcsm.core.io.PropertiesFiles;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained (or initialised) fully convolutional multi-label network with what is needed to use it: the
 * DL4J inference {@link MultiLayerNetwork} of the contract described in {@link VggStyleFcn} (Eq. 1–2), the
 * {@link ClassList} (channel k of {@code fc8} is class id k + 1), the {@link VggStyleFcn} architecture, the
 * input size used in training (0 when unknown) and free-form string metadata for other modules (e.g. CRF
 * parameters).
 *
 * <p>A model directory holds {@value #MODEL_FILE} (DL4J {@code ModelSerializer}'s layout, no updater state;
 * read without Java deserialisation, see {@link #load}),
 * {@value #CLASSES_FILE} ({@link ClassList#write}) and {@value #PROPERTIES_FILE} (architecture, training
 * input size, metadata as {@code meta.<key>}).
 *
 * <p>Immutable except for the network: {@link #network()} returns the model's own network (not a copy),
 * which DL4J keeps mutable; do not train it in place while others use the model. Metadata is copied.
 */
public final class FcnModel {

    /** The serialized network inside a model directory. */
    public static final String MODEL_FILE = "model.zip";
    /** The class list inside a model directory. */
    public static final String CLASSES_FILE = "classes.txt";
    /** Architecture, input size and metadata inside a model directory. */
    public static final String PROPERTIES_FILE = "model.properties";
    /** Value of the {@code format} property. */
    public static final String FORMAT = "dcsm-fcn-1";

    private final MultiLayerNetwork network;
    private final ClassList classes;
    private final VggStyleFcn architecture;
    private final int trainingInputSize;
    private final Map<String, String> metadata;
    private final int fc8Index;

    /**
     * Wraps a network.
     *
     * @param network           the inference network; must follow the contract ({@code fc8} convolution with
     *                          K outputs, then {@code gmp} global pooling, then a {@code loss} layer)
     * @param classes           K + 1 classes, background first
     * @param architecture      the architecture the network was built from
     * @param trainingInputSize the canvas side used in training, or 0 when unknown
     * @param metadata          free-form metadata (keys without '=' or line breaks), copied
     * @throws IllegalArgumentException naming the mismatch when the network breaks the contract
     */
    public FcnModel(MultiLayerNetwork network, ClassList classes, VggStyleFcn architecture, int trainingInputSize,
            Map<String, String> metadata) {
        this.network = Objects.requireNonNull(network, "network");
        this.classes = Objects.requireNonNull(classes, "classes");
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        if (trainingInputSize < 0) {
            throw new IllegalArgumentException("trainingInputSize must be >= 0 (0 = unknown), found "
                    + trainingInputSize);
        }
        this.trainingInputSize = trainingInputSize;
        TreeMap<String, String> meta = new TreeMap<>();
        for (Map.Entry<String, String> e : Objects.requireNonNull(metadata, "metadata").entrySet()) {
            String k = Objects.requireNonNull(e.getKey(), "metadata key");
            if (k.isBlank() || k.contains("=") || k.contains("\n") || k.contains(":")) {
                throw new IllegalArgumentException("metadata key must be non-blank without '=', ':' or line breaks, found '"
                        + k + "'");
            }
            meta.put(k, Objects.requireNonNull(e.getValue(), "metadata value of " + k));
        }
        this.metadata = Collections.unmodifiableMap(meta);
        this.fc8Index = checkContract(network, classes.foregroundCount());
    }

    /** A model with no training input size and no metadata. */
    public static FcnModel of(MultiLayerNetwork network, ClassList classes, VggStyleFcn architecture) {
        return new FcnModel(network, classes, architecture, 0, Map.of());
    }

    /** A freshly initialised model of {@code architecture} for {@code classes}. */
    public static FcnModel initialise(VggStyleFcn architecture, ClassList classes, long seed) {
        return of(architecture.buildInferenceNetwork(classes.foregroundCount(), seed), classes, architecture);
    }

    private static int checkContract(MultiLayerNetwork net, int k) {
        org.deeplearning4j.nn.api.Layer[] layers = net.getLayers();
        int n = layers.length;
        if (n < 3) {
            throw new IllegalArgumentException("network has " + n + " layers; expected ... fc8, gmp, loss");
        }
        Layer fc8 = layers[n - 3].conf().getLayer();
        Layer gmp = layers[n - 2].conf().getLayer();
        Layer loss = layers[n - 1].conf().getLayer();
        if (!FcnLayers.FC8.equals(fc8.getLayerName()) || !(fc8 instanceof ConvolutionLayer)) {
            throw new IllegalArgumentException("network's third-last layer must be the ConvolutionLayer 'fc8', found '"
                    + fc8.getLayerName() + "' (" + fc8.getClass().getSimpleName() + ")");
        }
        if (!(gmp instanceof GlobalPoolingLayer)) {
            throw new IllegalArgumentException("network's second-last layer must be a GlobalPoolingLayer, found '"
                    + gmp.getLayerName() + "' (" + gmp.getClass().getSimpleName() + ")");
        }
        if (!(loss instanceof LossLayer)) {
            throw new IllegalArgumentException("network's last layer must be a LossLayer, found '" + loss.getLayerName()
                    + "' (" + loss.getClass().getSimpleName() + ")");
        }
        long nOut = ((ConvolutionLayer) fc8).getNOut();
        if (nOut != k) {
            throw new IllegalArgumentException("fc8 has " + nOut + " outputs but the class list has " + k
                    + " foreground classes");
        }
        return n - 3;
    }

    /** The inference network (the model's own instance, not a copy). */
    public MultiLayerNetwork network() {
        return network;
    }

    /** The class list, background first. */
    public ClassList classes() {
        return classes;
    }

    /** The architecture. */
    public VggStyleFcn architecture() {
        return architecture;
    }

    /** Number of foreground classes K. */
    public int numClasses() {
        return classes.foregroundCount();
    }

    /** The canvas side used in training, 0 when unknown. */
    public int trainingInputSize() {
        return trainingInputSize;
    }

    /** Metadata (unmodifiable, sorted by key). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The smallest input side with a non-empty class score map. */
    public int minimumInputSize() {
        return architecture.minimumInputSize();
    }

    /** A copy with {@code key} set to {@code value} in the metadata (sharing the network). */
    public FcnModel withMetadata(String key, String value) {
        Map<String, String> m = new TreeMap<>(metadata);
        m.put(key, value);
        return new FcnModel(network, classes, architecture, trainingInputSize, m);
    }

    /**
     * The class score map, the output of {@code fc8} (before global pooling), shape [N, K, h, w]; a copy.
     *
     * @param input [N, 3, H, W] preprocessed image batch (BGR, VGG mean subtracted)
     * @throws IllegalArgumentException for a bad shape, an input below {@link #minimumInputSize()} or a
     *                                  non-finite value
     */
    public INDArray scoreMap(INDArray input) {
        architecture.requireValidInput(input);
        List<INDArray> acts = network.feedForwardToLayer(fc8Index, input, false);
        INDArray out = acts.get(fc8Index + 1).dup();
        network.clear();
        return out;
    }

    /**
     * The per-class probabilities σ(max over the score map) (Eq. 1–2), shape [N, K]; a copy.
     *
     * @throws IllegalArgumentException as {@link #scoreMap}
     */
    public INDArray scores(INDArray input) {
        architecture.requireValidInput(input);
        INDArray raw = network.output(input, false);
        INDArray out = raw.dup();
        NdArrays.closeAll(raw);
        network.clear();
        return out;
    }

    /**
     * Writes {@value #MODEL_FILE}, {@value #CLASSES_FILE} and {@value #PROPERTIES_FILE} into {@code dir}
     * (created if missing), as one unit ({@link AtomicFiles#writeAll}): all three are written beside their
     * targets first and then moved over them, so an error or Ctrl-C during the save leaves the old model whole.
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        architecture.toProperties().forEach(p::setProperty);
        p.setProperty("numClasses", Integer.toString(numClasses()));
        p.setProperty("trainingInputSize", Integer.toString(trainingInputSize));
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            p.setProperty("meta." + e.getKey(), e.getValue());
        }
        Map<Path, AtomicFiles.Content> files = new LinkedHashMap<>();
        files.put(dir.resolve(MODEL_FILE), tmp -> ModelArchive.write(network, tmp));
        files.put(dir.resolve(CLASSES_FILE), classes::write);
        files.put(dir.resolve(PROPERTIES_FILE), tmp -> {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "dcsm FCN model");
            }
        });
        AtomicFiles.writeAll(files);
    }

    /**
     * Reads a model directory written by {@link #save}, treating it as untrusted data: the network is
     * rebuilt from the architecture in {@value #PROPERTIES_FILE}, checked layer by layer against the stored
     * configuration, and given the stored weights; nothing is deserialised as a Java object, no entry other
     * than DL4J's configuration, coefficients and updater state is accepted, and every entry is inflated
     * under a cap derived from the architecture (see {@code ModelArchive}). What a model folder can still do
     * is make dcsm compute with its weights.
     *
     * @throws IOException naming the missing or bad file and the problem
     */
    public static FcnModel load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("Model directory not found: " + dir.toAbsolutePath());
        }
        Path modelFile = dir.resolve(MODEL_FILE);
        Path propsFile = dir.resolve(PROPERTIES_FILE);
        for (Path f : List.of(modelFile, dir.resolve(CLASSES_FILE), propsFile)) {
            if (!Files.isRegularFile(f)) {
                throw new IOException("Model file not found: " + f.toAbsolutePath() + " (a model directory holds "
                        + MODEL_FILE + ", " + CLASSES_FILE + " and " + PROPERTIES_FILE + ")");
            }
        }
        ClassList classes = ClassList.read(dir.resolve(CLASSES_FILE));
        Properties p = PropertiesFiles.read(propsFile, MAX_PROPERTIES_BYTES,
                "save the model again with dcsm train, or fix the file");
        VggStyleFcn arch;
        int inputSize;
        Map<String, String> meta = new TreeMap<>();
        try {
            String format = required(p, "format", propsFile);
            if (!FORMAT.equals(format)) {
                throw new IOException("Unsupported model format '" + format + "' in " + propsFile + ", expected "
                        + FORMAT);
            }
            arch = VggStyleFcn.fromProperties(p::getProperty);
            inputSize = p.getProperty("trainingInputSize") == null ? 0 : integer(p, "trainingInputSize", propsFile);
            if (inputSize < 0) {
                throw new IllegalArgumentException("trainingInputSize must be >= 0 (0 = unknown), found " + inputSize);
            }
            int k = integer(p, "numClasses", propsFile);
            if (k != classes.foregroundCount()) {
                throw new IOException(propsFile + " says numClasses=" + k + " but " + CLASSES_FILE + " lists "
                        + classes.foregroundCount() + " foreground classes");
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("Bad model properties " + propsFile.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("meta.")) {
                meta.put(key.substring(5), p.getProperty(key));
            }
        }
        MultiLayerNetwork net = ModelArchive.read(modelFile, arch, classes.foregroundCount());
        try {
            return new FcnModel(net, classes, arch, inputSize, meta);
        } catch (IllegalArgumentException e) {
            throw new IOException("Network in " + modelFile.toAbsolutePath() + " does not fit: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key, Path file) throws IOException {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IOException("Missing property '" + key + "' in " + file.toAbsolutePath());
        }
        return v.strip();
    }

    /** Entry {@code key} as a whole number, or an exception naming the entry and its value. */
    private static int integer(Properties p, String key, Path file) throws IOException {
        String v = required(p, key, file);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("entry '" + key + "' must be a whole number, found '"
                    + UntrustedText.printable(v) + "'", e);
        }
    }

    /** Largest {@value #PROPERTIES_FILE} read. */
    static final long MAX_PROPERTIES_BYTES = 64 << 10;

    @Override
    public String toString() {
        return "FcnModel{" + architecture + ", classes=" + classes.names() + ", trainingInputSize=" + trainingInputSize
                + ", metadata=" + metadata + "}";
    }
}
