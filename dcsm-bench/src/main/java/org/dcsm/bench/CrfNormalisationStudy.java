package org.dcsm.bench;

import java.util.Locale;
import java.util.Random;

import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.crf.CrfInput;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.KernelNormalization;
import org.dcsm.crf.UnaryEnergies;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures what the kernel normalisation does at the paper's weights on DCSM-like inputs: seeded scenes with
 * objects of distinct colours, class maps that are blurred, attenuated, noisy versions of the objects (as
 * saliency maps are: right place, soft edges, weak peaks), the background of Eq. 7 and {@code U = -log M}
 * ({@link UnaryEnergies#fromClassMaps}). Prints, per {@link KernelNormalization}, the share of pixels whose
 * label the CRF changes from the unary argmax and the pixel accuracy against the true segmentation:
 * {@code java -cp dcsm-bench/target/benchmarks.jar org.dcsm.bench.CrfNormalisationStudy}.
 */
public final class CrfNormalisationStudy {

    private CrfNormalisationStudy() {
    }

    public static void main(String[] args) {
        int w = 250;
        int h = 188;
        int seeds = 4;
        KernelNormalization[] modes = KernelNormalization.values();
        double[] changed = new double[modes.length];
        double[] accuracy = new double[modes.length];
        double unaryAccuracy = 0;
        for (int seed = 0; seed < seeds; seed++) {
            Random rnd = new Random(100 + seed);
            int n = w * h;
            int classes = 3;
            int[] truth = new int[n];
            double[][] colours = new double[classes + 1][3];
            for (double[] c : colours) {
                for (int k = 0; k < 3; k++) {
                    c[k] = 30 + 195 * rnd.nextDouble();
                }
            }
            for (int c = 1; c <= classes; c++) {
                double cx = w * (0.2 + 0.6 * rnd.nextDouble());
                double cy = h * (0.2 + 0.6 * rnd.nextDouble());
                double rx = w * (0.08 + 0.12 * rnd.nextDouble());
                double ry = h * (0.08 + 0.12 * rnd.nextDouble());
                for (int i = 0; i < n; i++) {
                    double dx = (i % w - cx) / rx;
                    double dy = (i / w - cy) / ry;
                    if (dx * dx + dy * dy <= 1) {
                        truth[i] = c;
                    }
                }
            }
            float[] rgb = new float[3 * n];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 3; k++) {
                    double v = colours[truth[i]][k] + 30.0 * (i % w) / w + 8 * rnd.nextGaussian();
                    rgb[k * n + i] = (float) Math.max(0, Math.min(255, v));
                }
            }
            float[] maps = new float[classes * n];
            for (int c = 1; c <= classes; c++) {
                float[] indicator = new float[n];
                for (int i = 0; i < n; i++) {
                    indicator[i] = truth[i] == c ? 1f : 0f;
                }
                float[] blurred = boxBlur(boxBlur(indicator, w, h, 9), w, h, 9);
                double peak = 0.5 + 0.4 * rnd.nextDouble();
                for (int i = 0; i < n; i++) {
                    double v = peak * blurred[i] + 0.08 * rnd.nextGaussian();
                    maps[(c - 1) * n + i] = (float) Math.max(0, Math.min(1, v));
                }
            }
            ClassMaps fused = ClassMaps.of(new int[] {1, 2, 3}, Nd4j.create(maps, new long[] {classes, h, w}, 'c'));
            UnaryEnergies unary = UnaryEnergies.fromClassMaps(fused, org.dcsm.core.Unary.DEFAULT_EPS);
            CrfInput input = CrfInput.builder().image(Nd4j.create(rgb, new long[] {3, h, w}, 'c')).unary(unary).build();
            LabelMap truthMap = LabelMap.of(w, h, truth);
            LabelMap argmax = unary.argmin();
            unaryAccuracy += truthMap.agreement(argmax) / seeds;
            for (int k = 0; k < modes.length; k++) {
                LabelMap out = DenseCrf.paper().toBuilder().normalization(modes[k]).build().infer(input);
                changed[k] += (1 - out.agreement(argmax)) / seeds;
                accuracy[k] += truthMap.agreement(out) / seeds;
            }
        }
        System.out.printf(Locale.ROOT, "%dx%d, %d seeds, paper CRF (w1 = w2 = 1, 30/10/3, 10 iterations)%n", w, h, seeds);
        System.out.printf(Locale.ROOT, "unary argmax: pixel accuracy %.3f%n", unaryAccuracy);
        for (int k = 0; k < modes.length; k++) {
            System.out.printf(Locale.ROOT, "%-9s changed %.3f of the pixels, pixel accuracy %.3f%n", modes[k],
                    changed[k], accuracy[k]);
        }
    }

    private static float[] boxBlur(float[] in, int w, int h, int radius) {
        float[] tmp = new float[in.length];
        float[] out = new float[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                int c = 0;
                for (int dx = -radius; dx <= radius; dx++) {
                    int xx = x + dx;
                    if (xx >= 0 && xx < w) {
                        s += in[y * w + xx];
                        c++;
                    }
                }
                tmp[y * w + x] = s / c;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                int c = 0;
                for (int dy = -radius; dy <= radius; dy++) {
                    int yy = y + dy;
                    if (yy >= 0 && yy < h) {
                        s += tmp[yy * w + x];
                        c++;
                    }
                }
                out[y * w + x] = s / c;
            }
        }
        return out;
    }
}
