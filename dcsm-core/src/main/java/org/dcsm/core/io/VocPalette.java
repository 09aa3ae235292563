package org.dcsm.core.io;

import java.awt.image.IndexColorModel;

/**
 * The PASCAL VOC colour palette: the colour of class id {@code i} in VOC's {@code SegmentationClass}
 * PNGs, for all 256 indices (255 = void is drawn 224,224,192).
 *
 * <p>Generated as VOC's development kit ({@code VOClabelcolormap.m}) does, not typed in: the three low
 * bits of the id, taken three at a time, are spread over the high bits of red, green and blue —
 * bit {@code 3j} of the id sets bit {@code 7-j} of red, bit {@code 3j+1} of green, bit {@code 3j+2} of
 * blue. Id 1 is therefore (128,0,0), id 15 (person) is (192,128,128), id 255 is (224,224,192).
 *
 * <p>Stateless; the arrays returned are fresh copies.
 */
public final class VocPalette {

    /** Number of palette entries. */
    public static final int SIZE = 256;

    private static final int[] RGB = generate();

    private VocPalette() {
    }

    private static int[] generate() {
        int[] rgb = new int[SIZE];
        for (int id = 0; id < SIZE; id++) {
            int r = 0;
            int g = 0;
            int b = 0;
            int c = id;
            for (int j = 0; j < 8; j++) {
                r |= ((c) & 1) << (7 - j);
                g |= ((c >> 1) & 1) << (7 - j);
                b |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            rgb[id] = (r << 16) | (g << 8) | b;
        }
        return rgb;
    }

    /** The colour of palette index {@code id} as {@code 0xRRGGBB}. */
    public static int rgb(int id) {
        if (id < 0 || id >= SIZE) {
            throw new IllegalArgumentException("Palette index must be in 0..255, found " + id);
        }
        return RGB[id];
    }

    /** All 256 colours as {@code 0xRRGGBB} (a copy). */
    public static int[] colours() {
        return RGB.clone();
    }

    /**
     * The palette index whose colour is {@code rgb} ({@code 0xRRGGBB}, alpha ignored), or -1 when the
     * colour is not in the palette. The palette's 256 colours are distinct.
     */
    public static int indexOf(int rgb) {
        int key = rgb & 0xFFFFFF;
        for (int i = 0; i < SIZE; i++) {
            if (RGB[i] == key) {
                return i;
            }
        }
        return -1;
    }

    /** An 8-bit, 256-entry, opaque {@link IndexColorModel} with the VOC colours. */
    public static IndexColorModel colorModel() {
        byte[] r = new byte[SIZE];
        byte[] g = new byte[SIZE];
        byte[] b = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            r[i] = (byte) (RGB[i] >> 16);
            g[i] = (byte) (RGB[i] >> 8);
            b[i] = (byte) RGB[i];
        }
        return new IndexColorModel(8, SIZE, r, g, b);
    }
}
