package org.dcsm.core.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

import org.dcsm.core.impl.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads image files (JPEG and PNG in every common form: RGB, grey, palette, 16-bit, with alpha; CMYK
 * and YCCK JPEG through TwelveMonkeys' {@code imageio-jpeg}; anything else an installed ImageIO plug-in
 * reads) into {@code 3×H×W} float RGB arrays with values 0–255 ({@link Images#toChw}).
 *
 * <p><b>Safety.</b> The width and height are read from the file's header
 * ({@link ImageReader#getWidth(int)}, {@link ImageReader#getHeight(int)}) and checked against
 * {@link Builder#maxPixels(long)} <em>before</em> any pixel data is decoded, so a small file declaring a
 * huge image cannot exhaust memory ({@link ImageTooLargeException}). A missing, empty, unrecognised,
 * corrupt or truncated file gives an {@link IOException} whose message names the file and the problem.
 * Decoders that recover from damage by warning (the JPEG decoder pads a truncated file with grey and
 * warns "Premature end of JPEG file") are treated as failures for truncation, and for every warning when
 * {@link Builder#strict(boolean)} is set; other warnings are logged.
 *
 * <p><b>Colour.</b> Samples are taken as stored, without colour management (as OpenCV and PIL read
 * them, which is what VGG-style networks were trained on): grey is replicated to R, G and B (this
 * avoids Java's linear-grey gamma conversion), 16-bit samples are scaled by 255/65535, palette images
 * are looked up in their palette. CMYK/YCCK JPEGs are converted to RGB by TwelveMonkeys (using the
 * embedded ICC profile when there is one). Images in other colour spaces are converted to sRGB by
 * Java2D. Alpha is handled by {@link AlphaPolicy}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImageLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ImageLoader.class);

    /** The default pixel limit: 2^26 = 67,108,864 pixels (e.g. 8192×8192), about 800 MB as float RGB. */
    public static final long DEFAULT_MAX_PIXELS = 1L << 26;

    /** What to do with an alpha channel. */
    public enum AlphaPolicy {
        /**
         * Composite the image on black: each colour value is multiplied by alpha/alpha_max, so fully
         * transparent pixels become 0 (the default: transparent pixels often hold arbitrary colours).
         */
        COMPOSITE_ON_BLACK,
        /** Ignore alpha and keep the stored colour values (un-premultiplied when stored premultiplied). */
        DROP
    }

    private final long maxPixels;
    private final AlphaPolicy alphaPolicy;
    private final boolean strict;

    private ImageLoader(Builder b) {
        this.maxPixels = b.maxPixels;
        this.alphaPolicy = b.alphaPolicy;
        this.strict = b.strict;
    }

    /** A loader with the defaults: {@link #DEFAULT_MAX_PIXELS}, alpha composited on black, not strict. */
    public static ImageLoader defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this loader's settings. */
    public Builder toBuilder() {
        return new Builder().maxPixels(maxPixels).alphaPolicy(alphaPolicy).strict(strict);
    }

    /** Builder for {@link ImageLoader}; validated in {@link #build()}. */
    public static final class Builder {
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private AlphaPolicy alphaPolicy = AlphaPolicy.COMPOSITE_ON_BLACK;
        private boolean strict;

        private Builder() {
        }

        /** The largest {@code width × height} accepted; must be &gt; 0. */
        public Builder maxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        /** How alpha is handled (default {@link AlphaPolicy#COMPOSITE_ON_BLACK}). */
        public Builder alphaPolicy(AlphaPolicy alphaPolicy) {
            this.alphaPolicy = alphaPolicy;
            return this;
        }

        /** When true, any decoder warning fails the read (default false: only truncation does). */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        public ImageLoader build() {
            if (maxPixels <= 0) {
                throw new IllegalArgumentException("maxPixels must be > 0, found " + maxPixels);
            }
            Checks.notNull(alphaPolicy, "alphaPolicy");
            return new ImageLoader(this);
        }
    }

    /** The pixel limit. */
    public long maxPixels() {
        return maxPixels;
    }

    /** The alpha policy. */
    public AlphaPolicy alphaPolicy() {
        return alphaPolicy;
    }

    /** Whether every decoder warning is fatal. */
    public boolean strict() {
        return strict;
    }

    /**
     * Reads an image into a new {@code 3×H×W} float array of RGB values in [0, 255] (a copy owned by
     * the caller).
     *
     * @throws IOException naming the file when it is missing, empty, of an unknown format, corrupt,
     *                     truncated, or larger than the limit ({@link ImageTooLargeException})
     */
    public INDArray read(Path file) throws IOException {
        return Images.toChw(readBufferedImage(file), alphaPolicy);
    }

    /**
     * Reads only the header and returns the image size; pixel data are not decoded and the pixel limit
     * is not applied.
     */
    public ImageSize readSize(Path file) throws IOException {
        return decode(file, false).size;
    }

    /**
     * Decodes an image as stored (its own colour model: palette, grey, 16-bit, alpha...), after the
     * header check. Use {@link Images#toChw} to get RGB values.
     */
    public BufferedImage readBufferedImage(Path file) throws IOException {
        return decode(file, true).image;
    }

    /**
     * Reads an image held in memory (e.g. a class-path resource) like {@link #read(Path)}.
     *
     * @param data the encoded file (not modified)
     * @param name what to call it in messages
     */
    public INDArray read(byte[] data, String name) throws IOException {
        return Images.toChw(decode(data, name, true).image, alphaPolicy);
    }

    /** The size of an image held in memory, from its header only (see {@link #readSize(Path)}). */
    public ImageSize readSize(byte[] data, String name) throws IOException {
        return decode(data, name, false).size;
    }

    /** Decodes an image held in memory like {@link #readBufferedImage(Path)}. */
    public BufferedImage readBufferedImage(byte[] data, String name) throws IOException {
        return decode(data, name, true).image;
    }

    private record Decoded(ImageSize size, BufferedImage image) {
    }

    private Decoded decode(Path file, boolean pixels) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "image file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("Image path " + file + " is not a regular file");
        }
        if (Files.size(file) == 0) {
            throw new IOException("Image file " + file + " is empty (0 bytes)");
        }
        try (ImageInputStream iis = ImageIO.createImageInputStream(file.toFile())) {
            if (iis == null) {
                throw new IOException("Cannot open image file " + file + " for reading");
            }
            return decode(iis, file.toString(), file, pixels);
        }
    }

    private Decoded decode(byte[] data, String name, boolean pixels) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(name, "name");
        if (data.length == 0) {
            throw new IOException("Image " + name + " is empty (0 bytes)");
        }
        try (ImageInputStream iis = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            if (iis == null) {
                throw new IOException("Cannot open image " + name + " for reading");
            }
            return decode(iis, name, null, pixels);
        }
    }

    private Decoded decode(ImageInputStream iis, String name, Path path, boolean pixels) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
        if (!readers.hasNext()) {
            // the file's bytes are never printed: through a symlink they could be another file's secrets
            throw new IOException("Unknown image format in " + name + ": no ImageIO reader recognises it. Readable"
                    + " formats: "
                    + String.join(", ", sortedLower(ImageIO.getReaderFormatNames())));
        }
        ImageReader reader = readers.next();
        String format = reader.getOriginatingProvider() == null ? "?"
                : reader.getOriginatingProvider().getFormatNames()[0].toUpperCase(Locale.ROOT);
        try {
            reader.setInput(iis, true, false);
            ImageSize size;
            try {
                size = new ImageSize(reader.getWidth(0), reader.getHeight(0));
            } catch (IOException | RuntimeException e) {
                throw new IOException("Cannot read the " + format + " header of " + name
                        + ": corrupt or truncated (" + e + ")", e);
            }
            if (!pixels) {
                return new Decoded(size, null);
            }
            if (size.pixels() > maxPixels) {
                throw new ImageTooLargeException(name, path, size, maxPixels);
            }
            List<String> warnings = new ArrayList<>();
            IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
            reader.addIIOReadWarningListener(listener);
            BufferedImage image;
            try {
                image = reader.read(0);
            } catch (IOException | RuntimeException e) {
                throw new IOException("Cannot decode " + format + " image " + name
                        + ": corrupt or truncated data (" + e + ")", e);
            }
            for (String w : warnings) {
                String lower = w.toLowerCase(Locale.ROOT);
                if (lower.contains("premature end") || lower.contains("truncat")) {
                    throw new IOException("Cannot decode " + format + " image " + name
                            + ": corrupt or truncated data (decoder warned: " + w + ")");
                }
                if (strict) {
                    throw new IOException("Refusing " + format + " image " + name
                            + " in strict mode: decoder warned: " + w);
                }
                LOG.warn("Decoder warning for {}: {}", name, w);
            }
            if (image.getWidth() != size.width() || image.getHeight() != size.height()) {
                throw new IOException("Decoded image " + name + " is " + image.getWidth() + "x"
                        + image.getHeight() + " but its header declares " + size);
            }
            return new Decoded(size, image);
        } finally {
            reader.dispose();
        }
    }

    private static List<String> sortedLower(String[] names) {
        return Arrays.stream(names).map(s -> s.toLowerCase(Locale.ROOT)).distinct().sorted().toList();
    }

    @Override
    public String toString() {
        return "ImageLoader[maxPixels=" + maxPixels + ", alpha=" + alphaPolicy + ", strict=" + strict + "]";
    }
}
