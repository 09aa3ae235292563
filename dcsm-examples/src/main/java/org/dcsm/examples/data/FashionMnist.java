package org.dcsm.examples.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 28×28 grey photographs of clothing in ten classes,
 * read from the gzipped IDX files that the Debian package {@code dataset-fashion-mnist} installs under
 * {@link #DEFAULT_DIR} ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz},
 * {@code t10k-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte.gz}).
 *
 * <p>Pixels are 0 (background) to 255 (bright item), row-major. Immutable: {@link #pixels(int)} returns
 * a copy.
 */
public final class FashionMnist {

    /** Where the Debian package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** The ten class names in label order (label {@code l} is class id {@code l + 1} in a ClassList). */
    public static final List<String> CLASS_NAMES = List.of("tshirt", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "boot");

    /** Which half of the dataset. */
    public enum Split {
        /** 60 000 images. */
        TRAIN("train"),
        /** 10 000 images. */
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        public String imagesFile() {
            return prefix + "-images-idx3-ubyte.gz";
        }

        public String labelsFile() {
            return prefix + "-labels-idx1-ubyte.gz";
        }
    }

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] pixels;
    private final byte[] labels;

    private FashionMnist(int count, int rows, int cols, byte[] pixels, byte[] labels) {
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
        this.labels = labels;
    }

    /** Whether both files of {@code split} exist in {@code dir}. */
    public static boolean isAvailable(Path dir, Split split) {
        return Files.isRegularFile(dir.resolve(split.imagesFile())) && Files.isRegularFile(dir.resolve(split.labelsFile()));
    }

    /**
     * Reads one split from {@code dir}.
     *
     * @throws IOException naming the file when it is missing, not gzip, has a wrong magic number, is
     *                     truncated, or when the image and label counts differ
     */
    public static FashionMnist load(Path dir, Split split) throws IOException {
        Path imagesPath = dir.resolve(split.imagesFile());
        Path labelsPath = dir.resolve(split.labelsFile());
        for (Path p : new Path[] {imagesPath, labelsPath}) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("Fashion-MNIST file not found: " + p.toAbsolutePath()
                        + " (install the Debian package dataset-fashion-mnist, or pass the folder holding "
                        + split.imagesFile() + " and " + split.labelsFile() + ")");
            }
        }
        int[] dims = new int[3];
        byte[] pixels = readIdx(imagesPath, IMAGES_MAGIC, dims);
        int[] labelDims = new int[1];
        byte[] labels = readIdx(labelsPath, LABELS_MAGIC, labelDims);
        if (dims[0] != labelDims[0]) {
            throw new IOException("Fashion-MNIST " + imagesPath + " holds " + dims[0] + " images but " + labelsPath
                    + " holds " + labelDims[0] + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASS_NAMES.size()) {
                throw new IOException("Fashion-MNIST " + labelsPath + ": label " + labels[i] + " at index " + i
                        + " is outside 0..9");
            }
        }
        return new FashionMnist(dims[0], dims[1], dims[2], pixels, labels);
    }

    /**
     * Reads a gzipped IDX file of unsigned bytes: a big-endian magic ({@code 0x0000080N}, N dimensions),
     * N big-endian dimension sizes, then the data.
     *
     * @param dims receives the dimension sizes; its length must be N
     */
    static byte[] readIdx(Path path, int expectedMagic, int[] dims) throws IOException {
        try (InputStream raw = Files.newInputStream(path);
             DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw), 1 << 16))) {
            int magic = in.readInt();
            if (magic != expectedMagic) {
                throw new IOException(String.format("IDX file %s has magic number 0x%08X, expected 0x%08X", path,
                        magic, expectedMagic));
            }
            long total = 1;
            for (int d = 0; d < dims.length; d++) {
                dims[d] = in.readInt();
                if (dims[d] <= 0) {
                    throw new IOException("IDX file " + path + ": dimension " + d + " is " + dims[d]);
                }
                total *= dims[d];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new IOException("IDX file " + path + " is too large: " + total + " values");
            }
            byte[] data = new byte[(int) total];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                throw new IOException("IDX file " + path + " is truncated: expected " + total + " data bytes", e);
            }
            return data;
        } catch (ZipException e) {
            throw new IOException("IDX file " + path + " is not gzip-compressed: " + e.getMessage(), e);
        } catch (EOFException e) {
            throw new IOException("IDX file " + path + " is truncated in its header", e);
        }
    }

    /** Number of images. */
    public int count() {
        return count;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The label (0–9) of image {@code index}. */
    public int label(int index) {
        checkIndex(index);
        return labels[index];
    }

    /** A copy of image {@code index}'s pixels, 0–255, row-major. */
    public int[] pixels(int index) {
        checkIndex(index);
        int n = rows * cols;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = pixels[index * n + i] & 0xFF;
        }
        return out;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("Fashion-MNIST image index " + index + " is outside 0.." + (count - 1));
        }
    }
}
