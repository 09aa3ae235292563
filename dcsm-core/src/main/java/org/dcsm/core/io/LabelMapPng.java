package org.dcsm.core.io;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

import org.dcsm.core.LabelMap;

/**
 * Label maps as PASCAL VOC palette PNGs: an 8-bit indexed PNG whose pixel <em>index</em> is the class
 * id (255 = {@link LabelMap#VOID}) and whose palette is {@link VocPalette}.
 *
 * <p>Reading uses the stored index, never the colour, for indexed PNGs (so a mask with any palette
 * reads correctly); 8- or 16-bit grey PNGs are read as ids directly (grey value = id); RGB(A) PNGs
 * are mapped back through the VOC palette, and a colour outside the palette is an error naming the
 * pixel. Stateless and thread-safe.
 */
public final class LabelMapPng {

    private LabelMapPng() {
    }

    /**
     * A new {@link BufferedImage#TYPE_BYTE_INDEXED} image of the label map in the VOC palette.
     *
     * @throws IllegalArgumentException when an id is above 255 (not representable in a palette PNG)
     */
    public static BufferedImage toIndexedImage(LabelMap labels) {
        Objects.requireNonNull(labels, "labels");
        int w = labels.width();
        int h = labels.height();
        int[] ids = labels.toArray();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] > 255) {
                throw new IllegalArgumentException("Class id " + ids[i] + " at pixel (" + (i % w) + ", " + (i / w)
                        + ") does not fit a palette PNG (ids 0..255)");
            }
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, VocPalette.colorModel());
        image.getRaster().setSamples(0, 0, w, h, 0, ids);
        return image;
    }

    /** Writes the label map as an indexed PNG in the VOC palette ({@link #toIndexedImage}). */
    public static void write(LabelMap labels, Path file) throws IOException {
        ImageFiles.writePng(toIndexedImage(labels), file);
    }

    /** Reads a mask with {@link ImageLoader#defaults()} (pixel limit checked before decoding). */
    public static LabelMap read(Path file) throws IOException {
        return read(file, ImageLoader.defaults());
    }

    /**
     * Reads a mask: palette index, grey value or VOC palette colour = class id (see the class comment).
     *
     * @param loader supplies the pixel limit and the header check
     * @throws IOException naming the file when it cannot be decoded, or holds a colour outside the palette
     */
    public static LabelMap read(Path file, ImageLoader loader) throws IOException {
        return decode(loader.readBufferedImage(file), file.toString());
    }

    /**
     * Reads a mask from the bytes of a PNG (e.g. read from a Hadoop file system), as {@link #read(Path, ImageLoader)}.
     *
     * @param name what to call the mask in messages (its URI or file name, escaped by the caller)
     * @throws IOException naming {@code name} when it cannot be decoded, or holds a colour outside the palette
     */
    public static LabelMap read(byte[] data, String name, ImageLoader loader) throws IOException {
        return decode(loader.readBufferedImage(data, name), name);
    }

    private static LabelMap decode(BufferedImage image, String file) throws IOException {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] ids = new int[w * h];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (cm instanceof IndexColorModel || (raster.getNumBands() == 1 && !cm.hasAlpha())) {
            raster.getSamples(0, 0, w, h, 0, ids);
            return LabelMap.of(w, h, ids);
        }
        if (raster.getNumBands() == 2) {
            raster.getSamples(0, 0, w, h, 0, ids); // grey + alpha: the grey value is the id
            return LabelMap.of(w, h, ids);
        }
        int[] row = new int[w];
        int lastRgb = -1;
        int lastId = -1;
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int rgb = row[x] & 0xFFFFFF;
                if (rgb != lastRgb) {
                    lastId = VocPalette.indexOf(rgb);
                    lastRgb = rgb;
                    if (lastId < 0) {
                        throw new IOException("Mask " + file + " has colour " + String.format(Locale.ROOT,
                                "(%d,%d,%d)", rgb >> 16, (rgb >> 8) & 0xFF, rgb & 0xFF) + " at pixel (" + x + ", " + y
                                + "), which is not in the VOC palette; save masks as indexed PNGs");
                    }
                }
                ids[y * w + x] = lastId;
            }
        }
        return LabelMap.of(w, h, ids);
    }

}
