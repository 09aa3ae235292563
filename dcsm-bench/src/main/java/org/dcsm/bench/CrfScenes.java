package org.dcsm.bench;

import java.util.Random;

import org.dcsm.crf.CrfInput;
import org.dcsm.crf.UnaryEnergies;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded VOC-like inputs for the CRF benchmarks: an RGB image with smooth regions, a few objects with
 * sharp edges and pixel noise, and a noisy unary over M labels whose argmax is right at most pixels.
 */
public final class CrfScenes {

    private CrfScenes() {
    }

    /** A {@code width×height} scene with {@code labels} labels, same content for the same seed. */
    public static CrfInput scene(int width, int height, int labels, long seed) {
        float[][] g = generate(width, height, labels, seed);
        return CrfInput.builder()
                .image(Nd4j.create(g[0], new long[] {3, height, width}, 'c'))
                .unary(UnaryEnergies.ofChannelIndices(Nd4j.create(g[1], new long[] {labels, height, width}, 'c')))
                .build();
    }

    /** The image of {@link #scene} with the same arguments: planar RGB, {@code 3×H×W} values in 0..255 (a new array). */
    public static float[] rgb(int width, int height, int labels, long seed) {
        return generate(width, height, labels, seed)[0];
    }

    /** {rgb 3×N, unary M×N}, planar: the arrays behind {@link #scene} (new arrays, no ND4J). */
    static float[][] generate(int width, int height, int labels, long seed) {
        Random rnd = new Random(seed);
        int n = width * height;
        int[] truth = new int[n];
        double[][] colours = new double[labels][3];
        for (double[] c : colours) {
            for (int k = 0; k < 3; k++) {
                c[k] = 30 + 195 * rnd.nextDouble();
            }
        }
        int objects = labels == 1 ? 0 : 6;
        for (int o = 0; o < objects; o++) {
            int label = 1 + o % (labels - 1);
            double cx = width * rnd.nextDouble();
            double cy = height * rnd.nextDouble();
            double r = Math.min(width, height) * (0.08 + 0.2 * rnd.nextDouble());
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                        truth[y * width + x] = label;
                    }
                }
            }
        }
        float[] rgb = new float[3 * n];
        float[] unary = new float[labels * n];
        for (int i = 0; i < n; i++) {
            int x = i % width;
            int y = i / width;
            for (int c = 0; c < 3; c++) {
                double v = colours[truth[i]][c] + 40.0 * (x + y) / (width + height) + 8 * rnd.nextGaussian();
                rgb[c * n + i] = (float) Math.max(0, Math.min(255, v));
            }
            for (int l = 0; l < labels; l++) {
                double p = (l == truth[i] ? 0.5 : 0.5 / labels) + 0.3 * rnd.nextDouble();
                unary[l * n + i] = (float) -Math.log(p);
            }
        }
        return new float[][] {rgb, unary};
    }
}
