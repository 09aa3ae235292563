package org.dcsm.examples.data;

import java.util.SplittableRandom;

/**
 * Package-private drawing surface for the scene generators: an RGB float image (planes R, G, B) and an
 * int label mask on flat arrays, with textured backgrounds. Not thread-safe; one per scene.
 */
final class Canvas {

    final int width;
    final int height;
    final float[] rgb;
    final int[] mask;

    Canvas(int width, int height) {
        this.width = width;
        this.height = height;
        this.rgb = new float[3 * width * height];
        this.mask = new int[width * height];
    }

    /** Sets pixel {@code p = y*width + x} to the colour and the label. */
    void paint(int p, float r, float g, float b, int label) {
        int plane = width * height;
        rgb[p] = clamp(r);
        rgb[plane + p] = clamp(g);
        rgb[2 * plane + p] = clamp(b);
        mask[p] = label;
    }

    static float clamp(float v) {
        return v < 0f ? 0f : (v > 255f ? 255f : v);
    }

    /**
     * Fills the whole canvas (label 0) with one of four background kinds, chosen at random: a flat
     * muted colour with noise, a linear gradient between two muted colours, diagonal stripes of two
     * muted colours, or blocky value noise. Muted means saturation well below the objects' colours.
     */
    void background(SplittableRandom rnd) {
        float[] c1 = mutedColour(rnd);
        float[] c2 = mutedColour(rnd);
        int kind = rnd.nextInt(4);
        double angle = rnd.nextDouble(Math.PI);
        double ca = Math.cos(angle);
        double sa = Math.sin(angle);
        double period = 6 + rnd.nextInt(10);
        int block = 4 + rnd.nextInt(6);
        int bw = (width + block - 1) / block + 1;
        int bh = (height + block - 1) / block + 1;
        float[] blocks = new float[bw * bh];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = (float) rnd.nextDouble();
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float t;
                switch (kind) {
                    case 0 -> t = 0f;
                    case 1 -> t = (float) (((x * ca + y * sa) / Math.max(width, height) + 1) / 2);
                    case 2 -> t = ((int) Math.floor((x * ca + y * sa) / period) & 1) == 0 ? 0f : 1f;
                    default -> {
                        // bilinear value noise
                        double fx = (double) x / block;
                        double fy = (double) y / block;
                        int ix = (int) fx;
                        int iy = (int) fy;
                        double ax = fx - ix;
                        double ay = fy - iy;
                        t = (float) ((1 - ay) * ((1 - ax) * blocks[iy * bw + ix] + ax * blocks[iy * bw + ix + 1])
                                + ay * ((1 - ax) * blocks[(iy + 1) * bw + ix] + ax * blocks[(iy + 1) * bw + ix + 1]));
                    }
                }
                float n = (float) (rnd.nextGaussian() * 6);
                paint(y * width + x, c1[0] + t * (c2[0] - c1[0]) + n, c1[1] + t * (c2[1] - c1[1]) + n,
                        c1[2] + t * (c2[2] - c1[2]) + n, 0);
            }
        }
    }

    /** A random low-saturation colour of medium brightness. */
    static float[] mutedColour(SplittableRandom rnd) {
        float grey = 60 + (float) rnd.nextDouble(130);
        return new float[] {grey + (float) rnd.nextDouble(-25, 25), grey + (float) rnd.nextDouble(-25, 25),
                grey + (float) rnd.nextDouble(-25, 25)};
    }
}
