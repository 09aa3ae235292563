package org.dcsm.backprop.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

import org.dcsm.backprop.net.VggStyleFcn;
import org.dcsm.core.ClassList;
import org.dcsm.core.io.AtomicFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The state of an interrupted training run, written by {@link MultiLabelTrainer} after every epoch when
 * {@link MultiLabelTrainer.Builder#resumableCheckpoint} is set, and read by {@link MultiLabelTrainer#resume}:
 * the training network's parameters (batch-norm running statistics included), the optimiser state, the epoch
 * and iteration reached, the architecture, the classes and every trainer setting. Resuming gives the same
 * weights, to the last bit, as a run that was never interrupted (same seed, same thread count).
 *
 * <p>File layout, one file written atomically ({@link AtomicFiles}: a Ctrl-C leaves the previous epoch's
 * checkpoint): the ASCII line {@value #MAGIC}, a 4-byte big-endian length and that many bytes of UTF-8
 * {@code key=value} text (at most {@value #MAX_HEADER_BYTES} bytes), then the parameters and the optimiser state,
 * each as an 8-byte big-endian count and that many little-endian 32-bit floats, then the CRC-32 of every
 * byte before it as 8 bytes. Nothing is deserialised as a Java object; every count is checked against the file's
 * size and against the network the header describes before anything is allocated.
 */
public final class TrainingCheckpoint {

    /** First line of a checkpoint file. */
    public static final String MAGIC = "dcsm-training-checkpoint-1\n";
    /** Largest header accepted, in bytes. */
    public static final int MAX_HEADER_BYTES = 1 << 16;

    private static final int CHUNK = 1 << 20;

    private final VggStyleFcn architecture;
    private final ClassList classes;
    private final Map<String, String> settings;
    private final int completedEpochs;
    private final long iteration;
    private final int maxCanvas;
    private final int trainingImages;
    private final Path file;
    private final long updaterCount;

    private TrainingCheckpoint(Path file, VggStyleFcn architecture, ClassList classes, Map<String, String> settings,
            int completedEpochs, long iteration, int maxCanvas, int trainingImages, long updaterCount) {
        this.file = file;
        this.architecture = architecture;
        this.classes = classes;
        this.settings = Map.copyOf(settings);
        this.completedEpochs = completedEpochs;
        this.iteration = iteration;
        this.maxCanvas = maxCanvas;
        this.trainingImages = trainingImages;
        this.updaterCount = updaterCount;
    }

    /** The architecture being trained. */
    public VggStyleFcn architecture() {
        return architecture;
    }

    /** The classes being trained. */
    public ClassList classes() {
        return classes;
    }

    /** The trainer's settings, as {@link MultiLabelTrainer#settings()} spelled them. */
    public Map<String, String> settings() {
        return settings;
    }

    /** Epochs finished before the checkpoint was written. */
    public int completedEpochs() {
        return completedEpochs;
    }

    /** Mini-batch steps done before the checkpoint was written. */
    public long iteration() {
        return iteration;
    }

    /** The largest batch canvas seen so far (the saved model's training input size). */
    public int maxCanvas() {
        return maxCanvas;
    }

    /** Training images of the run (resuming with another number is refused). */
    public int trainingImages() {
        return trainingImages;
    }

    /** The file this checkpoint was read from. */
    public Path file() {
        return file;
    }

    /**
     * Writes the training state atomically into {@code file}.
     *
     * @param params       the training network's flat parameters
     * @param updaterState the optimiser's flat state (may be null or empty for a stateless updater)
     */
    static void write(Path file, VggStyleFcn architecture, ClassList classes, Map<String, String> settings,
            int completedEpochs, long iteration, int maxCanvas, int trainingImages, INDArray params,
            INDArray updaterState) throws IOException {
        Map<String, String> header = new TreeMap<>();
        header.put("completedEpochs", Integer.toString(completedEpochs));
        header.put("iteration", Long.toString(iteration));
        header.put("maxCanvas", Integer.toString(maxCanvas));
        header.put("trainingImages", Integer.toString(trainingImages));
        header.putAll(architecture.toProperties());
        List<String> names = classes.names();
        header.put("classes", Integer.toString(names.size()));
        for (int i = 0; i < names.size(); i++) {
            header.put("class." + i, names.get(i));
        }
        settings.forEach((k, v) -> header.put("setting." + k, v));
        byte[] headerBytes = headerText(header).getBytes(StandardCharsets.UTF_8);
        if (headerBytes.length > MAX_HEADER_BYTES) {
            throw new IOException("checkpoint header of " + headerBytes.length + " bytes is over " + MAX_HEADER_BYTES
                    + " (too many classes or too long names)");
        }
        AtomicFiles.write(file, tmp -> {
            CRC32 crc = new CRC32();
            try (OutputStream os = Files.newOutputStream(tmp);
                    DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(os,
                            1 << 16), crc))) {
                out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
                out.writeInt(headerBytes.length);
                out.write(headerBytes);
                writeFloats(out, params);
                writeFloats(out, updaterState);
                out.flush();
                long sum = crc.getValue();
                out.writeLong(sum);
            }
        });
    }

    private static String headerText(Map<String, String> header) throws IOException {
        Properties p = new Properties();
        header.forEach(p::setProperty);
        StringWriter w = new StringWriter();
        p.store(w, "dcsm training checkpoint");
        return w.toString();
    }

    private static void writeFloats(DataOutputStream out, INDArray a) throws IOException {
        long n = a == null ? 0 : a.length();
        out.writeLong(n);
        if (n == 0) {
            return;
        }
        INDArray flat = a.reshape(a.ordering(), 1, n);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long start = 0; start < n; start += CHUNK) {
            long end = Math.min(n, start + CHUNK);
            float[] chunk = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(start, end)).castTo(DataType.FLOAT)
                    .toFloatVector();
            buf.clear();
            buf.asFloatBuffer().put(chunk);
            out.write(buf.array(), 0, chunk.length * Float.BYTES);
        }
    }

    /**
     * Reads and checks a checkpoint written by a training run, treating it as untrusted data: the header is
     * parsed, every count is checked against the architecture it names and the file's size, and the checksum
     * over the whole file is verified, without holding the weights in memory ({@link #restoreInto} reads them
     * again).
     *
     * @throws IOException naming the file and what is wrong with it (not a checkpoint, truncated, corrupt,
     *                     counts that do not fit the architecture it names)
     */
    public static TrainingCheckpoint read(Path file) throws IOException {
        return scan(file, null, null);
    }

    /**
     * Reads {@code file} from start to end: the header, both float sections (copied into the two views when
     * they are given) and the checksum.
     */
    private static TrainingCheckpoint scan(Path file, INDArray paramsView, INDArray updaterView) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Training checkpoint not found: " + file.toAbsolutePath());
        }
        long size = Files.size(file);
        CRC32 crc = new CRC32();
        try (InputStream is = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new CheckedInputStream(new BufferedInputStream(is, 1 << 16),
                        crc))) {
            byte[] magic = in.readNBytes(MAGIC.length());
            if (!Arrays.equals(magic, MAGIC.getBytes(StandardCharsets.US_ASCII))) {
                throw new IOException(file + " is not a dcsm training checkpoint (it does not start with '"
                        + MAGIC.strip() + "')");
            }
            int headerLength = in.readInt();
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES || headerLength > size) {
                throw new IOException("Corrupt training checkpoint " + file + ": header length " + headerLength
                        + " is outside 0.." + MAX_HEADER_BYTES);
            }
            byte[] headerBytes = new byte[headerLength];
            in.readFully(headerBytes);
            Properties header = new Properties();
            header.load(new InputStreamReader(new ByteArrayInputStream(headerBytes), StandardCharsets.UTF_8));
            VggStyleFcn arch;
            ClassList classes;
            Map<String, String> settings = new TreeMap<>();
            int completedEpochs;
            long iteration;
            int maxCanvas;
            int trainingImages;
            try {
                arch = VggStyleFcn.fromProperties(header::getProperty);
                int count = intValue(header, "classes", 2, 1 << 16);
                List<String> names = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    String name = header.getProperty("class." + i);
                    if (name == null) {
                        throw new IllegalArgumentException("missing property 'class." + i + "'");
                    }
                    names.add(name);
                }
                classes = ClassList.of(names);
                completedEpochs = intValue(header, "completedEpochs", 1, Integer.MAX_VALUE);
                iteration = Long.parseLong(required(header, "iteration"));
                maxCanvas = intValue(header, "maxCanvas", 0, Integer.MAX_VALUE);
                trainingImages = intValue(header, "trainingImages", 1, Integer.MAX_VALUE);
                for (String key : header.stringPropertyNames()) {
                    if (key.startsWith("setting.")) {
                        settings.put(key.substring("setting.".length()), header.getProperty(key));
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new IOException("Bad training checkpoint header in " + file + ": " + e.getMessage(), e);
            }
            long minParams = arch.parameterCount(classes.foregroundCount());
            readFloats(in, file, "parameters", minParams, size, paramsView);
            long updater = readFloats(in, file, "optimiser state values", 0, size, updaterView);
            long expected = crc.getValue();
            long stored = in.readLong();
            if (stored != expected) {
                throw new IOException("Corrupt training checkpoint " + file + ": checksum mismatch");
            }
            if (in.read() != -1) {
                throw new IOException("Corrupt training checkpoint " + file + ": bytes after the checksum");
            }
            return new TrainingCheckpoint(file, arch, classes, settings, completedEpochs, iteration, maxCanvas,
                    trainingImages, updater);
        } catch (EOFException e) {
            throw new IOException("Truncated training checkpoint " + file + " (" + size + " bytes)", e);
        }
    }

    /**
     * Reads a count and that many floats, into {@code view} (a vector of exactly that length) when given.
     */
    private static long readFloats(DataInputStream in, Path file, String what, long min, long fileSize, INDArray view)
            throws IOException {
        long n = in.readLong();
        if (n < min || n > fileSize / Float.BYTES) {
            throw new IOException("Corrupt training checkpoint " + file + ": " + n + " " + what + " do not fit "
                    + "the architecture it names (at least " + min + ") and the file's " + fileSize + " bytes");
        }
        long viewLength = view == null ? 0 : view.length();
        if (view != null && viewLength != n) {
            throw new IOException("Training checkpoint " + file + " holds " + n + " " + what + ", but the network "
                    + "and optimiser built from its settings have " + viewLength);
        }
        INDArray flat = view == null || n == 0 ? null : view.reshape(view.ordering(), 1, n);
        byte[] bytes = new byte[(int) Math.min(CHUNK, Math.max(1, n)) * Float.BYTES];
        float[] chunk = new float[bytes.length / Float.BYTES];
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (long start = 0; start < n; start += CHUNK) {
            int len = (int) Math.min(CHUNK, n - start);
            in.readFully(bytes, 0, len * Float.BYTES);
            if (flat != null) {
                buf.clear();
                buf.asFloatBuffer().get(chunk, 0, len);
                INDArray src = Nd4j.create(len == chunk.length ? chunk : Arrays.copyOf(chunk, len), 1, len);
                flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(start, start + len)).assign(src.reshape(-1));
            }
        }
        return n;
    }

    /**
     * Copies the stored parameters and optimiser state into a network's flat views, re-reading the file and
     * checking it again.
     *
     * @param updaterView the optimiser's flat state, or null when it has none
     * @throws IOException when the file changed, or its counts do not match the views
     */
    void restoreInto(INDArray paramsView, INDArray updaterView) throws IOException {
        if (updaterView == null && updaterCount > 0) {
            throw new IOException("Training checkpoint " + file + " holds " + updaterCount + " optimiser state values, "
                    + "but the optimiser built from its settings has none");
        }
        scan(file, paramsView, updaterView == null ? Nd4j.empty(DataType.FLOAT) : updaterView);
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing property '" + key + "'");
        }
        return v.strip();
    }

    private static int intValue(Properties p, String key, int min, int max) {
        String v = required(p, key);
        int x;
        try {
            x = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("property '" + key + "' must be a whole number, found '" + v + "'");
        }
        if (x < min || x > max) {
            throw new IllegalArgumentException("property '" + key + "' must be in " + min + ".." + max + ", found " + x);
        }
        return x;
    }
}
