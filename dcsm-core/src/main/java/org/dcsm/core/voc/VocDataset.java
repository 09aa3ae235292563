package org.dcsm.core.voc;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import org.dcsm.core.ClassList;
import org.dcsm.core.UntrustedText;
import org.dcsm.core.impl.Checks;
import org.dcsm.core.io.ImageLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dataset in the PASCAL VOC 2012 layout, read lazily:
 * <ul>
 * <li>{@code ImageSets/Segmentation/<split>.txt}: one sample id per line (only the first
 *     whitespace-separated token is used; blank lines are skipped);</li>
 * <li>{@code JPEGImages/<id>.jpg}: the image (extension configurable);</li>
 * <li>{@code Annotations/<id>.xml}: the image-level labels, the set of {@code <object><name>}s (see
 *     {@link DifficultPolicy});</li>
 * <li>{@code SegmentationClass/<id>.png}: the ground truth, palette index = class id, 255 = void;</li>
 * <li>{@code classes.txt} (optional): the class list, background first; without it the 20 VOC classes
 *     ({@link ClassList#voc()}) are used, unless {@link Builder#classes(ClassList)} says otherwise.</li>
 * </ul>
 *
 * <p>{@link #samples(String)} reads and checks the split file only; each {@link VocSample} loads its
 * image, labels and mask when asked, so a batch job can catch one sample's failure and go on.
 * Every id is checked by {@link VocLayout#requireSafeName} and every path must stay inside the root.
 * Images and masks go through the configured {@link ImageLoader}, whose pixel limit is checked from the
 * header before decoding.
 *
 * <p>Immutable and thread-safe (the samples may be loaded from several threads).
 */
public final class VocDataset {

    /** Split files larger than this (64 MiB, some million ids) are refused. */
    public static final long MAX_SPLIT_BYTES = 64L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(VocDataset.class);

    /** Whether objects marked {@code <difficult>1</difficult>} count as image-level labels. */
    public enum DifficultPolicy {
        /**
         * A difficult object's class is an image-level label (the default: the object is in the image,
         * and VOC's segmentation masks label difficult objects too).
         */
        INCLUDE,
        /**
         * Difficult objects are ignored (VOC's classification scoring ignores them); a class all of
         * whose objects are difficult is then not a label.
         */
        EXCLUDE
    }

    private final Path root;
    private final ClassList classes;
    private final DifficultPolicy difficultPolicy;
    private final ImageLoader imageLoader;
    private final String imageExtension;
    private final AnnotationParser parser;

    private VocDataset(Path root, ClassList classes, Builder b) {
        this.root = root;
        this.classes = classes;
        this.difficultPolicy = b.difficultPolicy;
        this.imageLoader = b.imageLoader;
        this.imageExtension = b.imageExtension;
        this.parser = new AnnotationParser(classes, b.difficultPolicy);
    }

    /** Opens a dataset with the defaults (class list from {@code classes.txt} or VOC's). */
    public static VocDataset open(Path root) throws IOException {
        return builder(root).build();
    }

    /** A builder for the dataset at {@code root}. */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** A builder holding this dataset's root and settings (its class list included). */
    public Builder toBuilder() {
        return new Builder(root).classes(classes).difficultPolicy(difficultPolicy).imageLoader(imageLoader)
                .imageExtension(imageExtension);
    }

    /** Builder for {@link VocDataset}; validated in {@link #build()}. */
    public static final class Builder {
        private final Path root;
        private ClassList classes;
        private DifficultPolicy difficultPolicy = DifficultPolicy.INCLUDE;
        private ImageLoader imageLoader = ImageLoader.defaults();
        private String imageExtension = "jpg";

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /** The class list (default: {@code classes.txt} in the root if present, else {@link ClassList#voc()}). */
        public Builder classes(ClassList classes) {
            this.classes = Objects.requireNonNull(classes, "classes");
            return this;
        }

        /** How difficult objects count (default {@link DifficultPolicy#INCLUDE}). */
        public Builder difficultPolicy(DifficultPolicy policy) {
            this.difficultPolicy = policy;
            return this;
        }

        /** The loader for images and masks (pixel limit, alpha); default {@link ImageLoader#defaults()}. */
        public Builder imageLoader(ImageLoader loader) {
            this.imageLoader = loader;
            return this;
        }

        /** The image file extension without the dot (default "jpg"). */
        public Builder imageExtension(String extension) {
            this.imageExtension = extension;
            return this;
        }

        /**
         * @throws NullPointerException     for a null policy or loader
         * @throws IllegalArgumentException for a bad extension
         * @throws IOException              when the root is not a folder, has neither {@code JPEGImages} nor
         *                                  {@code ImageSets/Segmentation}, or {@code classes.txt} is unreadable
         */
        public VocDataset build() throws IOException {
            Checks.notNull(difficultPolicy, "difficultPolicy");
            Checks.notNull(imageLoader, "imageLoader");
            if (imageExtension == null || !imageExtension.matches("[A-Za-z0-9]{1,10}")) {
                throw new IllegalArgumentException("imageExtension must be 1-10 letters or digits without a dot, found '"
                        + imageExtension + "'");
            }
            Path abs = root.toAbsolutePath().normalize();
            if (!Files.isDirectory(abs)) {
                throw new NoSuchFileException(abs.toString(), null, "VOC dataset root is not a folder");
            }
            if (!Files.isDirectory(abs.resolve(VocLayout.JPEG_IMAGES))
                    && !Files.isDirectory(abs.resolve(VocLayout.SEGMENTATION_SETS))) {
                String hint = Files.isDirectory(abs.resolve("VOC2012")) ? " (did you mean " + abs.resolve("VOC2012")
                        + "?)" : "";
                throw new NoSuchFileException(abs.toString(), null, "not a PASCAL VOC-layout folder: it has neither "
                        + VocLayout.JPEG_IMAGES + "/ nor " + VocLayout.SEGMENTATION_SETS + "/" + hint);
            }
            ClassList list = classes;
            if (list == null) {
                Path txt = abs.resolve(VocLayout.CLASSES_TXT);
                list = Files.isRegularFile(txt) ? ClassList.read(txt) : ClassList.voc();
            }
            return new VocDataset(abs, list, this);
        }
    }

    /** The dataset root (absolute, normalised). */
    public Path root() {
        return root;
    }

    /** The class list that names in annotations are resolved against. */
    public ClassList classes() {
        return classes;
    }

    /** The difficult-object policy. */
    public DifficultPolicy difficultPolicy() {
        return difficultPolicy;
    }

    /** The loader used for images and masks. */
    public ImageLoader imageLoader() {
        return imageLoader;
    }

    /** The split names that have a file in {@code ImageSets/Segmentation}, sorted. */
    public List<String> splits() throws IOException {
        Path dir = root.resolve(VocLayout.SEGMENTATION_SETS);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    /**
     * The ids listed in {@code ImageSets/Segmentation/<split>.txt}, in file order, each once (an id listed
     * again is logged as a warning and skipped, so that it is not counted twice).
     *
     * @throws IOException              when the split file is missing (the message lists the splits present),
     *                                  larger than {@link #MAX_SPLIT_BYTES} or not UTF-8
     * @throws IllegalArgumentException when the split name or an id is unsafe (naming the line)
     */
    public List<String> ids(String split) throws IOException {
        Path file = VocLayout.resolveInside(root, VocLayout.SEGMENTATION_SETS, split, ".txt", "split name");
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "split file not found; splits present: " + splits());
        }
        long size = Files.size(file);
        if (size > MAX_SPLIT_BYTES) {
            throw new IOException("Split file " + file + " is " + size + " bytes, more than the limit of "
                    + MAX_SPLIT_BYTES);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException("Split file " + file + " is not UTF-8 text (" + e + "); save it as UTF-8 or ASCII,"
                    + " one sample id per line", e);
        }
        List<String> ids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String id = line.split("\\s+", 2)[0];
            try {
                VocLayout.requireSafeName(id, "sample id");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
            if (seen.add(id)) {
                ids.add(id);
            } else {
                duplicates.add(id + " (line " + (i + 1) + ")");
            }
        }
        if (!duplicates.isEmpty()) {
            LOG.warn("{} lists {} id(s) more than once; each is used once: {}", file, duplicates.size(),
                    UntrustedText.printable(String.join(", ", duplicates), 300));
        }
        return ids;
    }

    /**
     * Lazy handles on the samples of a split, in file order; nothing but the split file is read.
     *
     * @see #ids(String)
     */
    public List<VocSample> samples(String split) throws IOException {
        List<String> ids = ids(split);
        List<VocSample> samples = new ArrayList<>(ids.size());
        for (String id : ids) {
            samples.add(sample(id));
        }
        return List.copyOf(samples);
    }

    /**
     * The lazy handle on one sample (whether or not its files exist).
     *
     * @throws IllegalArgumentException when the id is unsafe
     */
    public VocSample sample(String id) {
        Path image = VocLayout.resolveInside(root, VocLayout.JPEG_IMAGES, id, "." + imageExtension, "sample id");
        Path xml = VocLayout.resolveInside(root, VocLayout.ANNOTATIONS, id, ".xml", "sample id");
        Path mask = VocLayout.resolveInside(root, VocLayout.SEGMENTATION_CLASS, id, ".png", "sample id");
        return new VocSample(id, image, xml, mask, imageLoader, parser);
    }

    @Override
    public String toString() {
        return "VocDataset[" + root + ", " + classes.size() + " classes, difficult=" + difficultPolicy + "]";
    }
}
