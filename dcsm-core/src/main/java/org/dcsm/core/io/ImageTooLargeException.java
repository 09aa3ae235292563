package org.dcsm.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown when an image's header declares more pixels than the configured limit
 * ({@link ImageLoader.Builder#maxPixels(long)}); the image data were not decoded.
 */
public final class ImageTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final transient Path file;
    private final ImageSize size;
    private final long maxPixels;

    ImageTooLargeException(String source, Path file, ImageSize size, long maxPixels) {
        super("Image " + source + " is too large: its header declares " + size + " = " + size.pixels()
                + " pixels, more than the limit of " + maxPixels + " pixels (raise it with maxPixels(long))");
        this.source = source;
        this.file = file;
        this.size = size;
        this.maxPixels = maxPixels;
    }

    /** The refused image's name (its path for files). */
    public String source() {
        return source;
    }

    /** The refused file, or {@code null} for an image read from memory. */
    public Path file() {
        return file;
    }

    /** The size its header declares. */
    public ImageSize size() {
        return size;
    }

    /** The limit in force. */
    public long maxPixels() {
        return maxPixels;
    }
}
