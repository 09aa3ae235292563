package org.dcsm.core.io;

/**
 * The width and height of an image in pixels, as read from its header.
 *
 * @param width  columns, &gt; 0
 * @param height rows, &gt; 0
 */
public record ImageSize(int width, int height) {

    /** Validates that both sides are positive. */
    public ImageSize {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Image size must be positive, found " + width + "x" + height);
        }
    }

    /** {@code width × height} as a long (no overflow). */
    public long pixels() {
        return (long) width * height;
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
