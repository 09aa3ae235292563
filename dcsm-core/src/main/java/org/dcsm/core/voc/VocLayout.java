package org.dcsm.core.voc;

import java.nio.file.Path;
import java.util.Objects;

import org.dcsm.core.UntrustedText;

/**
 * The PASCAL VOC folder layout and the checks that keep sample ids and split names from escaping the
 * dataset root.
 *
 * <p>An id (or split name) is accepted when it is non-empty, at most 255 characters, has no surrounding
 * spaces, no control character, none of {@code / \ :}, and does not contain {@code ..}; the path built
 * from it is then normalised and must still lie inside the root. Symbolic links inside the root are
 * followed (users often link {@code JPEGImages} to a shared copy). Stateless.
 */
public final class VocLayout {

    /** Folder of the images, {@code <id>.jpg}. */
    public static final String JPEG_IMAGES = "JPEGImages";
    /** Folder of the XML annotations, {@code <id>.xml}. */
    public static final String ANNOTATIONS = "Annotations";
    /** Folder of the class masks, {@code <id>.png}. */
    public static final String SEGMENTATION_CLASS = "SegmentationClass";
    /** Folder of the segmentation split lists, {@code <split>.txt}. */
    public static final String SEGMENTATION_SETS = "ImageSets/Segmentation";
    /** The optional class list file in the root (one name per line, background first). */
    public static final String CLASSES_TXT = "classes.txt";

    private VocLayout() {
    }

    /**
     * Returns {@code id} when it is a safe file-name stem (see the class comment).
     *
     * @param what "sample id" or "split name", for the message
     * @throws IllegalArgumentException naming the id and the rule it breaks
     */
    public static String requireSafeName(String id, String what) {
        Objects.requireNonNull(id, what);
        String problem = null;
        if (id.isEmpty()) {
            problem = "is empty";
        } else if (id.length() > 255) {
            problem = "is longer than 255 characters";
        } else if (!id.equals(id.strip())) {
            problem = "has surrounding spaces";
        } else if (id.contains("..")) {
            problem = "contains '..'";
        } else if (id.indexOf('/') >= 0 || id.indexOf('\\') >= 0) {
            problem = "contains a path separator";
        } else if (id.indexOf(':') >= 0) {
            problem = "contains ':'";
        } else if (id.chars().anyMatch(Character::isISOControl)) {
            problem = "contains a control character";
        }
        if (problem != null) {
            throw new IllegalArgumentException("Unsafe " + what + " '" + escape(id) + "': it " + problem
                    + "; ids must be plain file-name stems inside the dataset folder");
        }
        return id;
    }

    /**
     * {@code root/folder/name + extension}, normalised, after checking {@code name} and that the result
     * stays inside {@code root}.
     */
    static Path resolveInside(Path root, String folder, String name, String extension, String what) {
        requireSafeName(name, what);
        Path base = root.toAbsolutePath().normalize();
        Path p = base.resolve(folder).resolve(name + extension).normalize();
        if (!p.startsWith(base)) {
            throw new IllegalArgumentException("The " + what + " '" + name + "' resolves to " + p
                    + ", outside the dataset root " + base);
        }
        return p;
    }

    private static String escape(String s) {
        return UntrustedText.printable(s);
    }
}
