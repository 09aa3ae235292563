package org.dcsm.backprop.net;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.dcsm.core.UntrustedText;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Reads and writes the network file of a model folder ({@value FcnModel#MODEL_FILE}) in DL4J's
 * {@link ModelSerializer} layout, treating a file to read as untrusted data.
 *
 * <p>Writing uses {@link ModelSerializer#writeModel} without updater state, so the file stays readable by
 * DL4J. Reading does <em>not</em> use {@link ModelSerializer#restoreMultiLayerNetwork}: that method runs
 * {@code ObjectInputStream.readObject()} on a {@code preprocessor.bin} entry when one is present and
 * allocates whatever sizes the file declares. Instead:
 *
 * <ul>
 *   <li>the network is rebuilt from the architecture of {@value FcnModel#PROPERTIES_FILE}
 *       ({@link VggStyleFcn#inferenceConfiguration}); the archive's {@code configuration.json} is parsed as
 *       a plain JSON tree (no class is instantiated from it) and only compared with the rebuilt layers, so
 *       a {@code model.properties} that does not describe the stored network is refused;</li>
 *   <li>only the entries DL4J writes are accepted ({@value #CONFIGURATION}, {@value #COEFFICIENTS}, and an
 *       ignored {@value #UPDATER_STATE}); any other entry ({@code preprocessor.bin}, {@code normalizer.bin},
 *       …) makes the file refused before anything is inflated;</li>
 *   <li>every entry is inflated through a counting stream capped at the size the architecture implies
 *       (the coefficients) or {@value #MAX_CONFIGURATION_BYTES} bytes (the configuration), whatever the zip
 *       headers claim, so a zip bomb or a forged size ends in an {@link IOException}, never an
 *       {@link OutOfMemoryError};</li>
 *   <li>the coefficients are decoded by this class from ND4J's binary layout (a shape buffer, then a data
 *       buffer of FLOAT or DOUBLE values), and their count must equal the rebuilt network's
 *       parameter count before anything is allocated.</li>
 * </ul>
 *
 * <p>Nothing in a model folder is executed or deserialised as a Java object; what it can still do is make
 * dcsm compute with the weights it holds (NaN weights are refused too).
 */
final class ModelArchive {

    /** DL4J's entry holding the network configuration (JSON). */
    static final String CONFIGURATION = "configuration.json";
    /** DL4J's entry holding the flattened parameters (ND4J binary layout). */
    static final String COEFFICIENTS = "coefficients.bin";
    /** DL4J's entry holding the updater state; accepted and never read. */
    static final String UPDATER_STATE = "updaterState.bin";
    /** Largest inflated configuration accepted (VGG-16's is about 0.1 MB). */
    static final int MAX_CONFIGURATION_BYTES = 8 << 20;
    /** Most entries a DL4J model file holds, with room to spare. */
    private static final int MAX_ENTRIES = 8;
    /** Largest ND4J shape buffer: rank 32. */
    private static final int MAX_SHAPE_LONGS = 2 * 32 + 4;
    /** Layer fields that must agree between the stored and the rebuilt configuration. */
    private static final List<String> STRUCTURE = List.of("@class", "layerName", "nin", "nout", "kernelSize",
            "stride", "padding", "dilation", "convolutionMode", "hasBias", "poolingType", "collapseDimensions");

    private ModelArchive() {
    }

    /** Writes {@code network} to {@code file} in DL4J's layout, without updater state. */
    static void write(MultiLayerNetwork network, Path file) throws IOException {
        ModelSerializer.writeModel(network, file.toFile(), false);
    }

    /**
     * Reads the network of {@code file}, rebuilt as {@code architecture}'s inference network for
     * {@code numClasses} classes with the stored weights.
     *
     * @throws IOException naming the file and the problem: not a zip, an unexpected entry, an entry larger
     *                     than allowed, a configuration that does not match {@code architecture}, a wrong
     *                     parameter count, an unknown data type or non-finite weights
     */
    static MultiLayerNetwork read(Path file, VggStyleFcn architecture, int numClasses) throws IOException {
        MultiLayerConfiguration conf = architecture.inferenceConfiguration(numClasses, 0);
        long numParams = parameterCount(conf);
        String where = file.toAbsolutePath().toString();
        if (Files.size(file) == 0) {
            throw new IOException(where + " is empty (0 bytes): the model was not saved completely; train or copy it"
                    + " again");
        }
        float[] params;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry configuration = null;
            ZipEntry coefficients = null;
            int count = 0;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (++count > MAX_ENTRIES) {
                    throw new IOException(where + " holds more than " + MAX_ENTRIES + " entries; a DL4J model file"
                            + " holds " + CONFIGURATION + ", " + COEFFICIENTS + " and optionally " + UPDATER_STATE);
                }
                switch (entry.getName()) {
                    case CONFIGURATION -> configuration = entry;
                    case COEFFICIENTS -> coefficients = entry;
                    case UPDATER_STATE -> { }
                    default -> throw new IOException(where + " holds the entry '"
                            + UntrustedText.printable(entry.getName()) + "', which dcsm does not read (only "
                            + CONFIGURATION + ", " + COEFFICIENTS + " and " + UPDATER_STATE + " are allowed; DL4J's"
                            + " preprocessor and normalizer entries are serialised Java objects and are never opened)");
                }
            }
            if (configuration == null || coefficients == null) {
                throw new IOException(where + " lacks " + (configuration == null ? CONFIGURATION : COEFFICIENTS)
                        + ": not a DL4J model file");
            }
            try (InputStream in = open(zip, configuration, MAX_CONFIGURATION_BYTES, where)) {
                checkStructure(in.readAllBytes(), conf, where);
            }
            // header: two UTF strings of at most 32 chars, one length, a shape buffer of at most 68 longs
            long maxBytes = 3 * 256L + 8L * MAX_SHAPE_LONGS + 8L * numParams;
            try (InputStream in = open(zip, coefficients, maxBytes, where)) {
                params = decodeParameters(new BufferedInputStream(in, 1 << 16), numParams, where + "!" + COEFFICIENTS);
            }
        } catch (ZipException e) {
            throw new IOException(where + " is not a readable zip file (" + e.getMessage() + ")", e);
        }
        INDArray flat = Nd4j.create(params, new long[] {1, numParams}, DataType.FLOAT);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(flat, false);
        return net;
    }

    private static long parameterCount(MultiLayerConfiguration conf) {
        long n = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            n += conf.getConf(i).getLayer().initializer().numParams(conf.getConf(i));
        }
        return n;
    }

    /**
     * The inflated content of {@code entry}, refused at once when its header declares more than
     * {@code maxBytes}, and failing as soon as more than {@code maxBytes} come out whatever the header said.
     */
    private static InputStream open(ZipFile zip, ZipEntry entry, long maxBytes, String where) throws IOException {
        if (entry.getSize() > maxBytes) {
            throw new IOException(where + ": entry " + entry.getName() + " declares " + entry.getSize()
                    + " bytes, more than the " + maxBytes + " this architecture allows");
        }
        return new CappedInputStream(zip.getInputStream(entry), maxBytes, where + ": entry " + entry.getName());
    }

    /** A stream that fails once more than a given number of bytes have been read from it. */
    private static final class CappedInputStream extends FilterInputStream {
        private final long cap;
        private final String what;
        private long count;

        CappedInputStream(InputStream in, long cap, String what) {
            super(in);
            this.cap = cap;
            this.what = what;
        }

        private void add(long n) throws IOException {
            count += Math.max(0, n);
            if (count > cap) {
                throw new IOException(what + " inflates to more than " + cap
                        + " bytes, more than this architecture allows (a corrupt file or a zip bomb)");
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            add(n);
            return n;
        }
    }

    /** Compares each layer's structural fields with the rebuilt configuration's. */
    private static void checkStructure(byte[] json, MultiLayerConfiguration expected, String where)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode stored;
        try {
            stored = mapper.readTree(json);
        } catch (IOException e) {
            throw new IOException(where + ": " + CONFIGURATION + " is not valid JSON (" + e.getMessage() + ")", e);
        }
        JsonNode storedConfs = stored == null ? null : stored.get("confs");
        JsonNode wantedConfs = mapper.readTree(expected.toJson()).get("confs");
        if (storedConfs == null || !storedConfs.isArray()) {
            throw new IOException(where + ": " + CONFIGURATION + " has no layer list ('confs')");
        }
        if (storedConfs.size() != wantedConfs.size()) {
            throw new IOException(where + " stores " + storedConfs.size() + " layers but " + FcnModel.PROPERTIES_FILE
                    + " describes " + wantedConfs.size() + " (check arch.blockWidths / arch.blockDepths)");
        }
        for (int i = 0; i < wantedConfs.size(); i++) {
            JsonNode s = storedConfs.get(i).get("layer");
            JsonNode w = wantedConfs.get(i).get("layer");
            for (String field : STRUCTURE) {
                JsonNode sv = s == null ? null : s.get(field);
                JsonNode wv = w.get(field);
                if (!java.util.Objects.equals(sv, wv)) {
                    throw new IOException(where + ": layer " + i + " ('" + w.path("layerName").asText() + "') has "
                            + field + " " + UntrustedText.printable(String.valueOf(sv)) + " but "
                            + FcnModel.PROPERTIES_FILE + " describes " + wv + " (check arch.* in "
                            + FcnModel.PROPERTIES_FILE + ")");
                }
            }
        }
    }

    /**
     * Decodes ND4J's binary layout: a shape buffer ({@code UTF allocation mode, long length, UTF "LONG",
     * length longs}) then a data buffer ({@code UTF allocation mode, long length, UTF type, values}).
     */
    static float[] decodeParameters(InputStream stream, long numParams, String where) throws IOException {
        if (numParams > Integer.MAX_VALUE - 16) {
            throw new IOException(where + ": " + numParams + " parameters are more than one array can hold");
        }
        try (DataInputStream in = new DataInputStream(stream)) {
            in.readUTF();
            long shapeLength = in.readLong();
            String shapeType = in.readUTF();
            if (shapeLength < 4 || shapeLength > MAX_SHAPE_LONGS || !Set.of("LONG", "INT").contains(shapeType)) {
                throw new IOException(where + ": bad shape header (" + shapeLength + " values of "
                        + UntrustedText.printable(shapeType) + ")");
            }
            long[] shape = new long[(int) shapeLength];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = "LONG".equals(shapeType) ? in.readLong() : in.readInt();
            }
            long rank = shape[0];
            if (rank < 1 || rank > 2 || shapeLength != 2 * rank + 4) {
                throw new IOException(where + ": parameters must be a vector, found a shape buffer of rank " + rank);
            }
            long elements = 1;
            for (int d = 1; d <= rank; d++) {
                elements *= shape[d];
            }
            in.readUTF();
            long length = in.readLong();
            String type = in.readUTF();
            if (elements != numParams || length != numParams) {
                throw new IOException(where + " holds " + length + " parameters but the architecture of "
                        + FcnModel.PROPERTIES_FILE + " has " + numParams);
            }
            float[] out = new float[(int) numParams];
            switch (type) {
                case "FLOAT" -> {
                    for (int i = 0; i < out.length; i++) {
                        out[i] = in.readFloat();
                    }
                }
                case "DOUBLE" -> {
                    for (int i = 0; i < out.length; i++) {
                        out[i] = (float) in.readDouble();
                    }
                }
                default -> throw new IOException(where + ": unsupported parameter type '"
                        + UntrustedText.printable(type) + "' (FLOAT or DOUBLE)");
            }
            if (in.read() != -1) {
                throw new IOException(where + " has data after its " + numParams + " parameters: not a file of this"
                        + " architecture");
            }
            for (int i = 0; i < out.length; i++) {
                if (!Float.isFinite(out[i])) {
                    throw new IOException(where + ": parameter " + i + " is " + out[i]);
                }
            }
            return out;
        } catch (EOFException e) {
            throw new IOException(where + " ends early: the file is truncated", e);
        }
    }
}
