package org.dcsm.core.io;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Objects;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes images as PNG or JPEG with ImageIO. Files are written to a temporary sibling and moved into
 * place, so a reader never sees a half-written file; parent folders are created. Stateless and
 * thread-safe.
 */
public final class ImageFiles {

    /** The default JPEG quality, 0.95 (little visible loss; VOC's own JPEGs are around 0.9–0.95). */
    public static final float DEFAULT_JPEG_QUALITY = 0.95f;

    private ImageFiles() {
    }

    /** Writes {@code image} as PNG (lossless; palette images stay indexed). */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        write(image, file, "png", -1f);
    }

    /**
     * Writes {@code image} as a baseline JPEG of the given quality. Alpha, if any, is dropped (the
     * image is drawn onto an opaque RGB canvas first), since JPEG has no alpha.
     *
     * @param quality in (0, 1]
     */
    public static void writeJpeg(BufferedImage image, Path file, float quality) throws IOException {
        if (!(quality > 0f && quality <= 1f)) {
            throw new IllegalArgumentException("JPEG quality must be in (0, 1], found " + quality);
        }
        BufferedImage opaque = image;
        if (image.getColorModel().hasAlpha() || image.getType() == BufferedImage.TYPE_CUSTOM) {
            opaque = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = opaque.createGraphics();
            try {
                g.drawImage(image, 0, 0, null);
            } finally {
                g.dispose();
            }
        }
        write(opaque, file, "jpeg", quality);
    }

    private static void write(BufferedImage image, Path file, String format, float quality) throws IOException {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(file, "file");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IOException("No ImageIO writer for " + format + " to write " + file);
        }
        ImageWriter writer = writers.next();
        try {
            AtomicFiles.write(file, tmp -> {
                try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW);
                     ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                    writer.setOutput(ios);
                    ImageWriteParam param = writer.getDefaultWriteParam();
                    if (quality > 0f) {
                        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                        param.setCompressionQuality(quality);
                    }
                    writer.write(null, new IIOImage(image, null, null), param);
                    ios.flush();
                }
            });
        } catch (IOException e) {
            throw new IOException("Cannot write " + format.toUpperCase(java.util.Locale.ROOT) + " " + file + ": "
                    + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
    }
}
