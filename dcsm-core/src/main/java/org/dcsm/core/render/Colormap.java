package org.dcsm.core.render;

/**
 * Colour maps from [0, 1] to RGB, computed from closed-form piecewise-linear formulas (no table typed
 * in). Values outside [0, 1] are clamped; NaN maps to 0.
 */
public enum Colormap {
    /**
     * MATLAB's "jet": dark blue → blue → cyan → yellow → red → dark red;
     * {@code r = clamp(1.5 − |4t − 3|)}, {@code g = clamp(1.5 − |4t − 2|)}, {@code b = clamp(1.5 − |4t − 1|)}.
     * The look of the paper's figures.
     */
    JET,
    /** Black → red → yellow → white: {@code r = clamp(3t)}, {@code g = clamp(3t − 1)}, {@code b = clamp(3t − 2)}. */
    HOT,
    /** Black → white. */
    GREY;

    /** The colour of {@code t} as {@code 0xRRGGBB}. */
    public int rgb(double t) {
        double v = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t));
        double r;
        double g;
        double b;
        switch (this) {
            case JET -> {
                r = clamp(1.5 - Math.abs(4 * v - 3));
                g = clamp(1.5 - Math.abs(4 * v - 2));
                b = clamp(1.5 - Math.abs(4 * v - 1));
            }
            case HOT -> {
                r = clamp(3 * v);
                g = clamp(3 * v - 1);
                b = clamp(3 * v - 2);
            }
            default -> {
                r = v;
                g = v;
                b = v;
            }
        }
        return (to8(r) << 16) | (to8(g) << 8) | to8(b);
    }

    /** A 256-entry look-up table, entry {@code i} = {@link #rgb}{@code (i / 255)} (a new array). */
    public int[] lookupTable() {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = rgb(i / 255.0);
        }
        return lut;
    }

    private static double clamp(double x) {
        return Math.max(0, Math.min(1, x));
    }

    private static int to8(double x) {
        return (int) Math.round(x * 255);
    }
}
