package org.dcsm.bench;

import java.util.Locale;
import java.util.Random;

import org.dcsm.crf.CrfInput;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.ExactDenseCrf;
import org.dcsm.crf.KernelNormalization;
import org.dcsm.crf.impl.ExactRowSums;
import org.dcsm.core.impl.Parallel;
import org.dcsm.crf.impl.PermutohedralLattice;

/**
 * The permutohedral lattice's absolute scale, and what it does to the unnormalised CRF (issue 11). Prints:
 * <ol>
 *   <li>the ratio of the lattice's row sums to the exact ones, {@code l_i / r_i}, over sampled pixels (mean, sd, min,
 *       max) for the 2-D position kernel and the 5-D bilateral kernel (colour bandwidth 10) of {@link CrfScenes}
 *       images, {@code sxy} 3 to 80, 64×64 to 500×375; beside it the analytic scale of the lattice in uniformly
 *       dense data, {@code 2^(d+1) / (1 + 2^-d) (3 / (4 pi))^(d/2) / sqrt(d + 1)}, and the sd of the ratio left after
 *       one gain (what {@link DenseCrf#calibrated()} does over its exact budget);</li>
 *   <li>{@link DenseCrf} against {@link ExactDenseCrf} with the lattice's scale raw ({@code latticeCalibration(false)})
 *       and calibrated: share of equal MAP labels and mean |ΔQ|, by full inference (10 iterations) up to 96×96 and by
 *       one iteration from the unary's softmax on 400 sampled pixels above;</li>
 *   <li>({@code cause}, run only when asked) why one gain is not enough over the exact budget: the relative error of
 *       the lattice's row sums and of its messages {@code sum_j k_ij Q_j} (Q the unary's softmax, the bilateral kernel
 *       alone) against the exact ones on 300 evenly spread pixels, after one gain, for lattices that test one cause
 *       each (shifted and averaged, densified with ghost points, features rescaled), and with the exact row sum per
 *       pixel; then the exact filter's cost that would remove the error.</li>
 * </ol>
 * {@code java --add-modules jdk.incubator.vector -cp dcsm-bench/target/benchmarks.jar org.dcsm.bench.CrfScaleStudy
 * [scale|crf|cause]} (the first two parts without an argument).
 */
public final class CrfScaleStudy {

    private CrfScaleStudy() {
    }

    public static void main(String[] args) {
        String part = args.length > 0 ? args[0] : "all";
        if (part.equals("cause")) {
            LatticeErrorCause.run();
            return;
        }
        if (!part.equals("crf")) {
            scale();
        }
        if (!part.equals("scale")) {
            crf();
        }
    }

    private static void scale() {
        int[][] sizes = {{64, 64}, {96, 96}, {250, 188}, {500, 375}};
        double[] thetas = {3, 10, 30, 80};
        System.out.println("Lattice row sums over exact row sums, l_i / r_i (600 sampled pixels or all)");
        try (Parallel parallel = Parallel.create(2)) {
            for (int d : new int[] {2, 5}) {
                System.out.printf(Locale.ROOT, "d = %d: analytic scale in uniformly dense data %.3f%n", d, analytic(d));
                for (int[] size : sizes) {
                    int w = size[0];
                    int h = size[1];
                    int n = w * h;
                    float[] rgb = d == 5 ? CrfScenes.rgb(w, h, 4, 7) : null;
                    for (double theta : thetas) {
                        float[] f = features(w, h, theta, 10, rgb);
                        float[] lattice = PermutohedralLattice.build(f, n, d, parallel).rowSums();
                        Random rnd = new Random(1);
                        int s = Math.min(n, 600);
                        int[] pixels = new int[s];
                        for (int k = 0; k < s; k++) {
                            pixels[k] = s == n ? k : rnd.nextInt(n);
                        }
                        float[] exact = ExactRowSums.at(f, n, d, pixels, parallel);
                        double gain = ExactRowSums.gain(f, d, lattice, DenseCrf.CALIBRATION_SAMPLES, 1e-6f, parallel);
                        double sum = 0;
                        double sq = 0;
                        double min = Double.POSITIVE_INFINITY;
                        double max = Double.NEGATIVE_INFINITY;
                        double meanExact = 0;
                        for (int k = 0; k < s; k++) {
                            double r = lattice[pixels[k]] / exact[k];
                            sum += r;
                            sq += r * r;
                            min = Math.min(min, r);
                            max = Math.max(max, r);
                            meanExact += exact[k] / s;
                        }
                        double mean = sum / s;
                        double sd = Math.sqrt(Math.max(0, sq / s - mean * mean));
                        System.out.printf(Locale.ROOT, "  %3dx%-3d sxy %2.0f: exact row sum %8.1f, ratio mean %.3f sd %.3f "
                                        + "min %.3f max %.3f; with one gain: mean %.3f sd %.3f%n", w, h, theta, meanExact,
                                mean, sd, min, max, mean * gain, sd * gain);
                    }
                }
            }
        }
    }

    /** {@code alpha 2^(d+1) V_d / (2 pi)^(d/2)}: the lattice kernel's integral over the Gaussian's. */
    static double analytic(int d) {
        return Math.pow(2, d + 1) / (1 + Math.pow(2, -d)) * Math.pow(3 / (4 * Math.PI), d / 2.0) / Math.sqrt(d + 1);
    }

    static float[] features(int w, int h, double sxy, double srgb, float[] rgb) {
        int n = w * h;
        int d = rgb == null ? 2 : 5;
        float[] f = new float[n * d];
        for (int i = 0; i < n; i++) {
            f[i * d] = (float) ((i % w) / sxy);
            f[i * d + 1] = (float) ((i / w) / sxy);
            if (rgb != null) {
                for (int c = 0; c < 3; c++) {
                    f[i * d + 2 + c] = (float) (rgb[c * n + i] / srgb);
                }
            }
        }
        return f;
    }

    private record Regime(int w, int h, int labels, double thetaAlpha, double weight) {
    }

    private static void crf() {
        Regime[] regimes = {
            new Regime(96, 96, 11, 30, 1), new Regime(64, 64, 4, 80, 0.3), new Regime(64, 64, 4, 3, 5),
            new Regime(64, 64, 2, 10, 0.1), new Regime(64, 64, 21, 30, 1), new Regime(160, 120, 4, 30, 0.1),
            new Regime(500, 375, 21, 3, 1), new Regime(500, 375, 21, 80, 0.1),
        };
        System.out.println("DenseCrf against ExactDenseCrf (labels equal, mean |dQ|): bilateral(sxy, 10, w) + gaussian(3, w)");
        for (Regime r : regimes) {
            CrfInput input = CrfScenes.scene(r.w(), r.h(), r.labels(), 11);
            boolean full = r.w() * r.h() <= 96 * 96;
            for (KernelNormalization mode : new KernelNormalization[] {KernelNormalization.NONE,
                    KernelNormalization.MEAN, KernelNormalization.SYMMETRIC}) {
                if (!full && mode != KernelNormalization.NONE && r.w() * r.h() > 160 * 120) {
                    continue; // the exact step needs all N² row sums in the normalised modes
                }
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %3dx%-3d %2d labels sxy %2.0f w %.1f %-9s %s:",
                        r.w(), r.h(), r.labels(), r.thetaAlpha(), r.weight(), mode, full ? "full" : "step"));
                for (boolean calibrate : new boolean[] {false, true}) {
                    DenseCrf crf = DenseCrf.builder().bilateral(r.thetaAlpha(), 10, r.weight()).gaussian(3, r.weight())
                            .normalization(mode).latticeCalibration(calibrate).threads(2).build();
                    long t0 = System.nanoTime();
                    ExactDenseCrf.Agreement a = full ? ExactDenseCrf.of(crf).agreement(input)
                            : ExactDenseCrf.of(crf).stepAgreement(input, 0, 400);
                    line.append(String.format(Locale.ROOT, "  %s %.2f %% %.1e (%.1f s)", calibrate ? "calibrated" : "raw",
                            100 * a.labels(), a.meanAbsDq(), (System.nanoTime() - t0) / 1e9));
                    if (mode != KernelNormalization.NONE && mode != KernelNormalization.MEAN) {
                        break; // calibration does not apply
                    }
                }
                System.out.println(line);
            }
        }
    }
}
