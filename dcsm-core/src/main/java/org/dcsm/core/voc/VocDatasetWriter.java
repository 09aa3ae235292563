package org.dcsm.core.voc;

import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.dcsm.core.io.AtomicFiles;
import org.dcsm.core.io.ImageFiles;
import org.dcsm.core.io.Images;
import org.dcsm.core.io.LabelMapPng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a dataset in the PASCAL VOC layout that {@link VocDataset} reads:
 * {@code JPEGImages/<id>.jpg} (JPEG, quality {@link Builder#jpegQuality(float)}),
 * {@code SegmentationClass/<id>.png} (indexed PNG in the VOC palette, 255 = void drawn 224,224,192),
 * {@code Annotations/<id>.xml} (one {@code <object>} per foreground class present in the mask, with
 * the bounding box of that class's pixels, 1-based inclusive as in VOC, {@code difficult} 0),
 * {@code ImageSets/Segmentation/<split>.txt} (written by {@link #close()}, ids sorted) and
 * {@code classes.txt} (written at creation).
 *
 * <pre>{@code
 * try (VocDatasetWriter writer = VocDatasetWriter.create(root, classes)) {
 *     writer.add("train", "000001", rgbChw, mask);
 * }
 * }</pre>
 *
 * <p>{@link #add} is thread-safe: samples may be written from several threads (the file writing
 * happens outside the lock). Each id may be added once. By default the root must be absent or an empty
 * folder; with {@link Builder#overwrite(boolean)} existing files of the same ids are replaced and the
 * split files this writer touches are rewritten (other files are left alone).
 */
public final class VocDatasetWriter implements Closeable {

    private final Path root;
    private final ClassList classes;
    private final float jpegQuality;
    private final Map<String, List<String>> splits = new LinkedHashMap<>();
    private final Set<String> ids = new HashSet<>();
    private boolean closed;

    private VocDatasetWriter(Builder b) {
        this.root = b.root.toAbsolutePath().normalize();
        this.classes = b.classes;
        this.jpegQuality = b.jpegQuality;
    }

    /** A writer with the defaults (JPEG quality 0.95, root must be absent or empty). */
    public static VocDatasetWriter create(Path root, ClassList classes) throws IOException {
        return builder(root, classes).build();
    }

    /** A builder for a writer into {@code root} with the given class list. */
    public static Builder builder(Path root, ClassList classes) {
        return new Builder(root, classes);
    }

    /** Builder for {@link VocDatasetWriter}; validated in {@link #build()}. */
    public static final class Builder {
        private final Path root;
        private final ClassList classes;
        private float jpegQuality = ImageFiles.DEFAULT_JPEG_QUALITY;
        private boolean overwrite;

        private Builder(Path root, ClassList classes) {
            this.root = Objects.requireNonNull(root, "root");
            this.classes = Objects.requireNonNull(classes, "classes");
        }

        /** JPEG quality in (0, 1]; default {@link ImageFiles#DEFAULT_JPEG_QUALITY}. */
        public Builder jpegQuality(float jpegQuality) {
            this.jpegQuality = jpegQuality;
            return this;
        }

        /** Whether a non-empty root is accepted (default false). */
        public Builder overwrite(boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        /**
         * Creates the folders and writes {@code classes.txt}.
         *
         * @throws IllegalArgumentException for a bad quality
         * @throws IOException              when the root is a file, or a non-empty folder without overwrite
         */
        public VocDatasetWriter build() throws IOException {
            if (!(jpegQuality > 0f && jpegQuality <= 1f)) {
                throw new IllegalArgumentException("jpegQuality must be in (0, 1], found " + jpegQuality);
            }
            if (Files.exists(root)) {
                if (!Files.isDirectory(root)) {
                    throw new IOException("Dataset root " + root + " exists and is not a folder");
                }
                if (!overwrite) {
                    try (Stream<Path> entries = Files.list(root)) {
                        if (entries.findAny().isPresent()) {
                            throw new IOException("Dataset root " + root
                                    + " is not empty; choose an empty folder or set overwrite(true)");
                        }
                    }
                }
            }
            VocDatasetWriter writer = new VocDatasetWriter(this);
            for (String folder : List.of(VocLayout.JPEG_IMAGES, VocLayout.ANNOTATIONS,
                    VocLayout.SEGMENTATION_CLASS, VocLayout.SEGMENTATION_SETS)) {
                Files.createDirectories(writer.root.resolve(folder));
            }
            classes.write(writer.root.resolve(VocLayout.CLASSES_TXT));
            return writer;
        }
    }

    /** The dataset root (absolute, normalised). */
    public Path root() {
        return root;
    }

    /** The class list written to {@code classes.txt}. */
    public ClassList classes() {
        return classes;
    }

    /**
     * Adds a sample from a {@code 3×H×W} RGB array with values in [0, 255] (rounded, clamped).
     *
     * @see #add(String, String, BufferedImage, LabelMap)
     */
    public void add(String split, String id, INDArray rgbChw, LabelMap mask) throws IOException {
        Images.requireRgbChw(rgbChw, "image of sample '" + id + "'");
        add(split, id, Images.toBufferedImage(rgbChw), mask);
    }

    /**
     * Adds a sample: writes its JPEG, mask PNG and annotation XML and records the id in {@code split}.
     *
     * @param split a split name such as "train" or "val" (same rules as ids)
     * @param id    the sample id, a plain file-name stem (see {@link VocLayout})
     * @param mask  class ids 0..K of {@link #classes()} or {@link LabelMap#VOID}; same size as the image
     * @throws IllegalArgumentException for an unsafe id or split, a duplicate id, a size mismatch or an id
     *                                  outside the class list
     * @throws IllegalStateException    after {@link #close()}
     */
    public void add(String split, String id, BufferedImage image, LabelMap mask) throws IOException {
        VocLayout.requireSafeName(split, "split name");
        VocLayout.requireSafeName(id, "sample id");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(mask, "mask");
        if (mask.width() != image.getWidth() || mask.height() != image.getHeight()) {
            throw new IllegalArgumentException("Mask of sample '" + id + "' is " + mask.width() + "x" + mask.height()
                    + " but its image is " + image.getWidth() + "x" + image.getHeight());
        }
        int[] ids = mask.toArray();
        int w = mask.width();
        int k = classes.size();
        // per-class bounding boxes, one pass: minX, minY, maxX, maxY
        int[] box = new int[4 * k];
        for (int c = 0; c < k; c++) {
            box[4 * c] = Integer.MAX_VALUE;
            box[4 * c + 1] = Integer.MAX_VALUE;
            box[4 * c + 2] = -1;
            box[4 * c + 3] = -1;
        }
        for (int i = 0; i < ids.length; i++) {
            int c = ids[i];
            if (c == LabelMap.VOID) {
                continue;
            }
            if (c >= k) {
                throw new IllegalArgumentException("Mask of sample '" + id + "' has class id " + c + " at pixel ("
                        + (i % w) + ", " + (i / w) + "), outside the class list 0.." + (k - 1) + " (or 255 = void)");
            }
            int x = i % w;
            int y = i / w;
            box[4 * c] = Math.min(box[4 * c], x);
            box[4 * c + 1] = Math.min(box[4 * c + 1], y);
            box[4 * c + 2] = Math.max(box[4 * c + 2], x);
            box[4 * c + 3] = Math.max(box[4 * c + 3], y);
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("VocDatasetWriter for " + root + " is closed");
            }
            if (!this.ids.add(id)) {
                throw new IllegalArgumentException("Sample id '" + id + "' was already added to " + root);
            }
        }
        boolean done = false;
        try {
            ImageFiles.writeJpeg(image, VocLayout.resolveInside(root, VocLayout.JPEG_IMAGES, id, ".jpg", "sample id"),
                    jpegQuality);
            LabelMapPng.write(mask, VocLayout.resolveInside(root, VocLayout.SEGMENTATION_CLASS, id, ".png", "sample id"));
            writeAtomically(VocLayout.resolveInside(root, VocLayout.ANNOTATIONS, id, ".xml", "sample id"),
                    annotationXml(id, image.getWidth(), image.getHeight(), box));
            done = true;
        } finally {
            synchronized (this) {
                if (done) {
                    splits.computeIfAbsent(split, s -> new ArrayList<>()).add(id);
                } else {
                    this.ids.remove(id);
                }
            }
        }
    }

    /** The ids added so far per split, in the order added (unmodifiable copies). */
    public synchronized Map<String, List<String>> splits() {
        Map<String, List<String>> copy = new TreeMap<>();
        splits.forEach((s, l) -> copy.put(s, List.copyOf(l)));
        return Collections.unmodifiableMap(copy);
    }

    private String annotationXml(String id, int width, int height, int[] box) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("<annotation>\n");
        sb.append("\t<folder>").append(xml(root.getFileName() == null ? "" : root.getFileName().toString()))
                .append("</folder>\n");
        sb.append("\t<filename>").append(xml(id)).append(".jpg</filename>\n");
        sb.append("\t<source><database>dcsm VocDatasetWriter</database></source>\n");
        sb.append("\t<size>\n\t\t<width>").append(width).append("</width>\n\t\t<height>").append(height)
                .append("</height>\n\t\t<depth>3</depth>\n\t</size>\n");
        sb.append("\t<segmented>1</segmented>\n");
        for (int c = 1; c < classes.size(); c++) {
            if (box[4 * c + 2] < 0) {
                continue;
            }
            sb.append("\t<object>\n\t\t<name>").append(xml(classes.name(c))).append("</name>\n");
            sb.append("\t\t<pose>Unspecified</pose>\n\t\t<truncated>0</truncated>\n\t\t<difficult>0</difficult>\n");
            sb.append("\t\t<bndbox>\n\t\t\t<xmin>").append(box[4 * c] + 1).append("</xmin>\n\t\t\t<ymin>")
                    .append(box[4 * c + 1] + 1).append("</ymin>\n\t\t\t<xmax>").append(box[4 * c + 2] + 1)
                    .append("</xmax>\n\t\t\t<ymax>").append(box[4 * c + 3] + 1).append("</ymax>\n\t\t</bndbox>\n");
            sb.append("\t</object>\n");
        }
        sb.append("</annotation>\n");
        return sb.toString();
    }

    /** Escapes the five XML special characters. */
    static String xml(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        AtomicFiles.write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }


    /**
     * Writes {@code ImageSets/Segmentation/<split>.txt} for every split added to (ids sorted, one per
     * line). Idempotent; {@link #add} fails afterwards.
     */
    @Override
    public void close() throws IOException {
        Map<String, List<String>> snapshot;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            snapshot = splits();
        }
        for (Map.Entry<String, List<String>> e : snapshot.entrySet()) {
            List<String> sorted = new ArrayList<>(e.getValue());
            Collections.sort(sorted);
            StringBuilder sb = new StringBuilder();
            for (String id : sorted) {
                sb.append(id).append('\n');
            }
            writeAtomically(VocLayout.resolveInside(root, VocLayout.SEGMENTATION_SETS, e.getKey(), ".txt",
                    "split name"), sb.toString());
        }
    }

    @Override
    public String toString() {
        return "VocDatasetWriter[" + root + ", " + classes.size() + " classes]";
    }
}
