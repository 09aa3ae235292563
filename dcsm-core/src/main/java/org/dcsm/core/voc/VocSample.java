package org.dcsm.core.voc;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.dcsm.core.io.ImageLoader;
import org.dcsm.core.io.ImageSize;
import org.dcsm.core.io.LabelMapPng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One sample of a {@link VocDataset}: its id and the paths of its image, annotation and mask, which are
 * read only when asked for (nothing is cached: each call reads the file again). Immutable and
 * thread-safe; every loading method throws an {@link IOException} naming the file on failure.
 */
public final class VocSample {

    private final String id;
    private final Path imagePath;
    private final Path annotationPath;
    private final Path maskPath;
    private final ImageLoader loader;
    private final AnnotationParser parser;

    VocSample(String id, Path imagePath, Path annotationPath, Path maskPath, ImageLoader loader,
              AnnotationParser parser) {
        this.id = id;
        this.imagePath = imagePath;
        this.annotationPath = annotationPath;
        this.maskPath = maskPath;
        this.loader = loader;
        this.parser = parser;
    }

    /** The sample id. */
    public String id() {
        return id;
    }

    /** {@code JPEGImages/<id>.jpg}. */
    public Path imagePath() {
        return imagePath;
    }

    /** {@code Annotations/<id>.xml} (may not exist). */
    public Path annotationPath() {
        return annotationPath;
    }

    /** {@code SegmentationClass/<id>.png} (may not exist). */
    public Path maskPath() {
        return maskPath;
    }

    /** Whether the annotation file exists. */
    public boolean hasAnnotation() {
        return Files.isRegularFile(annotationPath);
    }

    /** Whether the mask file exists. */
    public boolean hasMask() {
        return Files.isRegularFile(maskPath);
    }

    /** The image as a new {@code 3×H×W} float RGB array, 0–255 ({@link ImageLoader#read}). */
    public INDArray image() throws IOException {
        return loader.read(imagePath);
    }

    /** The image as decoded ({@link ImageLoader#readBufferedImage}). */
    public BufferedImage bufferedImage() throws IOException {
        return loader.readBufferedImage(imagePath);
    }

    /** The image size from its header only. */
    public ImageSize imageSize() throws IOException {
        return loader.readSize(imagePath);
    }

    /**
     * The ground-truth mask: palette index = class id, 255 = {@link LabelMap#VOID}.
     *
     * @throws NoSuchFileException naming the path when the mask is missing
     * @throws IOException         when it cannot be decoded or holds an id outside the class list
     */
    public LabelMap mask() throws IOException {
        if (!Files.exists(maskPath)) {
            throw new NoSuchFileException(maskPath.toString(), null,
                    "segmentation mask missing for sample '" + id + "'");
        }
        LabelMap mask = LabelMapPng.read(maskPath, loader);
        ClassList classes = parser.classes();
        int[] distinct = mask.distinctIds();
        for (int c : distinct) {
            if (c != LabelMap.VOID && c >= classes.size()) {
                throw new IOException("Mask " + maskPath + " holds class id " + c + ", outside the class list 0.."
                        + (classes.size() - 1) + " " + classes.names() + " (255 = void)");
            }
        }
        return mask;
    }

    /**
     * The image-level labels: the foreground class ids present, ascending, without the background.
     * From the annotation XML when it exists (object names, {@link VocDataset.DifficultPolicy}); otherwise
     * from the mask (its distinct ids except 0 and 255).
     *
     * @throws IOException naming the file for an unknown class name, unsafe or malformed XML, or when
     *                     the sample has neither an annotation nor a mask
     */
    public int[] labels() throws IOException {
        if (hasAnnotation()) {
            return parser.labels(annotationPath);
        }
        if (hasMask()) {
            return mask().foregroundIds();
        }
        throw new NoSuchFileException(annotationPath.toString(), null, "sample '" + id
                + "' has neither an annotation nor a mask (" + maskPath + "), so its image-level labels are unknown");
    }

    @Override
    public String toString() {
        return "VocSample[" + id + "]";
    }
}
