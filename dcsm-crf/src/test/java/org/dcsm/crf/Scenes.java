package org.dcsm.crf;

import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded synthetic scenes for the CRF tests: smooth backgrounds with a colour gradient, a few objects
 * (discs and rectangles) of distinct colours with sharp edges, pixel noise, and a noisy unary in which
 * the correct label wins at most pixels but not all.
 */
final class Scenes {

    final int width;
    final int height;
    final int labels;
    final int[] truth;       // row-major label per pixel
    final float[] rgb;       // planar 3×N
    final float[] unary;     // planar M×N

    private Scenes(int width, int height, int labels, int[] truth, float[] rgb, float[] unary) {
        this.width = width;
        this.height = height;
        this.labels = labels;
        this.truth = truth;
        this.rgb = rgb;
        this.unary = unary;
    }

    /**
     * @param strength how much the unary favours the true label (logit margin)
     * @param noise    standard deviation of the per-pixel logit noise
     */
    static Scenes make(int w, int h, int m, long seed, double strength, double noise) {
        Random rnd = new Random(seed);
        int n = w * h;
        int[] truth = new int[n];
        int objects = m == 1 ? 0 : 2 + rnd.nextInt(3);
        double[][] colours = new double[Math.max(m, 1)][3];
        for (int l = 0; l < colours.length; l++) {
            for (int c = 0; c < 3; c++) {
                colours[l][c] = 30 + 195 * rnd.nextDouble();
            }
        }
        for (int o = 0; o < objects; o++) {
            int label = 1 + o % (m - 1);
            double cx = w * rnd.nextDouble();
            double cy = h * rnd.nextDouble();
            double r = Math.max(2, Math.min(w, h) * (0.15 + 0.25 * rnd.nextDouble()));
            boolean disc = rnd.nextBoolean();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean in = disc ? (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r
                            : Math.abs(x - cx) <= r && Math.abs(y - cy) <= 0.6 * r;
                    if (in) {
                        truth[y * w + x] = label;
                    }
                }
            }
        }
        float[] rgb = new float[3 * n];
        for (int i = 0; i < n; i++) {
            int x = i % w;
            int y = i / w;
            for (int c = 0; c < 3; c++) {
                double v = colours[truth[i]][c] + 20.0 * (x + y) / (w + h) + 6 * rnd.nextGaussian();
                rgb[c * n + i] = (float) Math.max(0, Math.min(255, v));
            }
        }
        // smooth noise field per label plus pixel noise, added to the logits
        float[] unary = new float[m * n];
        double[] logits = new double[m];
        double[][] blobs = new double[m][4];
        for (int l = 0; l < m; l++) {
            blobs[l] = new double[] {w * rnd.nextDouble(), h * rnd.nextDouble(), 0.3 * Math.max(w, h) + 1,
                    1.5 * rnd.nextDouble()};
        }
        for (int i = 0; i < n; i++) {
            int x = i % w;
            int y = i / w;
            double max = Double.NEGATIVE_INFINITY;
            for (int l = 0; l < m; l++) {
                double[] b = blobs[l];
                double smooth = b[3] * Math.exp(-((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1])) / (2 * b[2] * b[2]));
                logits[l] = (l == truth[i] ? strength : 0) + smooth + noise * rnd.nextGaussian();
                max = Math.max(max, logits[l]);
            }
            double s = 0;
            for (int l = 0; l < m; l++) {
                s += Math.exp(logits[l] - max);
            }
            for (int l = 0; l < m; l++) {
                unary[l * n + i] = (float) -(logits[l] - max - Math.log(s));
            }
        }
        return new Scenes(w, h, m, truth, rgb, unary);
    }

    INDArray image() {
        return Nd4j.create(rgb.clone(), new long[] {3, height, width}, 'c');
    }

    INDArray unaryArray() {
        return Nd4j.create(unary.clone(), new long[] {labels, height, width}, 'c');
    }

    CrfInput input() {
        return CrfInput.of(image(), UnaryEnergies.ofChannelIndices(unaryArray()));
    }

    double accuracy(org.dcsm.core.LabelMap labels) {
        int[] a = labels.toArray();
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == truth[i]) {
                same++;
            }
        }
        return (double) same / a.length;
    }
}
