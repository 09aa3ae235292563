package org.dcsm.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import org.dcsm.crf.CrfInput;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.ExactDenseCrf;
import org.dcsm.crf.KernelNormalization;
import org.dcsm.crf.UnaryLayout;
import org.dcsm.crf.impl.ExactGaussianFilter;
import org.dcsm.crf.impl.ExactRowSums;
import org.dcsm.core.impl.Parallel;
import org.dcsm.crf.impl.PermutohedralLattice;

/**
 * The {@code cause} part of {@link CrfScaleStudy}: why the unnormalised ({@code NONE}) CRF over the exact budget stays
 * short of issue 11's bar after its one gain. For the bilateral kernel ({@code sxy}, colour bandwidth 10) of a
 * {@link CrfScenes} image and {@code Q} = the unary's softmax, on 300 evenly spread pixels: the mean relative error of
 * the lattice's row sums {@code l_i} and of its messages {@code L(Q)_i} against the exact {@code r_i} and
 * {@code E(Q)_i}, each after one gain (sum of exact over sum of lattice), for
 * <ul>
 *   <li>the lattice as {@link DenseCrf} builds it;</li>
 *   <li>16 lattices on features shifted by random offsets in [0, 2) (in bandwidths), averaged: what is left if the
 *       error came from where pixels fall in their simplices;</li>
 *   <li>a lattice with 10 ghost points per pixel (zero value, at distance 2 in a random direction), 4–7 times as many
 *       lattice points: what is left if it came from blur paths through points no pixel created;</li>
 *   <li>features multiplied by 0.9 and 1.1: what is left if the lattice's kernel were a Gaussian of another width;</li>
 *   <li>the messages scaled per pixel by {@code r_i / l_i}, exact over lattice row sums: the error of the lattice's
 *       normalised filter {@code L(Q)_i / l_i}.</li>
 * </ul>
 * Then one CRF step against the exact one ({@link ExactDenseCrf#stepAgreement}) with the bilateral term summed exactly
 * (raising {@link DenseCrf.Builder#exactPairBudget}) and its time, the cost of removing the error that way.
 */
final class LatticeErrorCause {

    private static final int SAMPLES = 300;

    private LatticeErrorCause() {
    }

    static void run() {
        System.out.println("Lattice error after one gain, bilateral kernel (srgb 10), Q = softmax(-unary); "
                + "mean relative error over " + SAMPLES + " pixels: row sums | messages");
        try (Parallel parallel = Parallel.create(2)) {
            study(160, 120, 4, 30, parallel);
            study(500, 375, 21, 80, parallel);
        }
        DenseCrf base = DenseCrf.builder().bilateral(30, 10, 0.1).gaussian(3, 0.1).normalization(KernelNormalization.NONE)
                .iterations(10).threads(2).build();
        CrfInput input = CrfScenes.scene(160, 120, 4, 11);
        for (long budget : new long[] {DenseCrf.EXACT_PAIR_BUDGET, 400_000_000L}) {
            DenseCrf crf = base.toBuilder().exactPairBudget(budget).build();
            long t0 = System.nanoTime();
            ExactDenseCrf.Agreement a = ExactDenseCrf.of(crf).stepAgreement(input, 0, 400);
            System.out.printf(Locale.ROOT, "  160x120, 4 labels, sxy 30, w 0.1, NONE, exactPairBudget %.0e: one step "
                            + "%.2f %% labels, mean |dQ| %.1e, %.2f s (build + 1 iteration + the exact reference's step)%n",
                    (double) budget, 100 * a.labels(), a.meanAbsDq(), (System.nanoTime() - t0) / 1e9);
        }
    }

    private static void study(int w, int h, int labels, double sxy, Parallel parallel) {
        int n = w * h;
        int d = 5;
        float[] f = CrfScaleStudy.features(w, h, sxy, 10, CrfScenes.rgb(w, h, labels, 11));
        float[] q = softmax(CrfScenes.scene(w, h, labels, 11).unary().energies(null, UnaryLayout.PIXEL_MAJOR), n, labels);
        int[] pixels = ExactRowSums.evenSample(n, SAMPLES);
        ExactGaussianFilter exact = new ExactGaussianFilter(f, n, d, parallel, PermutohedralLattice.VECTOR_API);
        double[] messages = exact.filterAt(pixels, q, labels);
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        double[] rows = exact.filterAt(pixels, ones, 1);
        String what = String.format(Locale.ROOT, "  %dx%d, %d labels, sxy %.0f", w, h, labels, sxy);

        Sums plain = latticeSums(f, n, d, q, labels, pixels, parallel, 0, 1);
        report(what + ", the lattice", plain, rows, messages, labels, false);
        report(what + ", 16 shifted lattices averaged", latticeSums(f, n, d, q, labels, pixels, parallel, 0, 16), rows,
                messages, labels, false);
        report(what + ", 10 ghost points per pixel", latticeSums(f, n, d, q, labels, pixels, parallel, 10, 1), rows,
                messages, labels, false);
        for (double rho : new double[] {0.9, 1.1}) {
            float[] g = f.clone();
            for (int i = 0; i < g.length; i++) {
                g[i] *= (float) rho;
            }
            report(what + ", features x " + rho, latticeSums(g, n, d, q, labels, pixels, parallel, 0, 1), rows,
                    messages, labels, false);
        }
        report(what + ", messages x r_i / l_i (exact row sums)", plain, rows, messages, labels, true);
    }

    /** Lattice row sums and messages at the sampled pixels, averaged over {@code shifts} lattices. */
    private record Sums(double[] rows, double[] messages, int points) {
    }

    private static Sums latticeSums(float[] f, int n, int d, float[] q, int m, int[] pixels, Parallel parallel,
                                    int ghosts, int shifts) {
        double[] rows = new double[pixels.length];
        double[] messages = new double[pixels.length * m];
        Random rnd = new Random(5);
        int points = 0;
        for (int s = 0; s < shifts; s++) {
            int total = n * (ghosts + 1);
            float[] g = new float[total * d];
            System.arraycopy(f, 0, g, 0, n * d);
            if (s > 0) {
                for (int c = 0; c < d; c++) {
                    float off = (float) (2 * rnd.nextDouble());
                    for (int i = 0; i < n; i++) {
                        g[i * d + c] += off;
                    }
                }
            }
            for (int k = 1; k <= ghosts; k++) {
                for (int i = 0; i < n; i++) {
                    double[] v = new double[d];
                    double norm = 0;
                    for (int c = 0; c < d; c++) {
                        v[c] = rnd.nextGaussian();
                        norm += v[c] * v[c];
                    }
                    norm = Math.sqrt(norm);
                    for (int c = 0; c < d; c++) {
                        g[(k * n + i) * d + c] = (float) (f[i * d + c] + 2 * v[c] / norm);
                    }
                }
            }
            PermutohedralLattice lattice = PermutohedralLattice.build(g, total, d, parallel);
            points = lattice.size();
            float[] in = new float[total * m];
            System.arraycopy(q, 0, in, 0, n * m);
            float[] out = new float[total * m];
            lattice.apply(in, m, null, null, 1f, out, false);
            float[] one = new float[total];
            Arrays.fill(one, 0, n, 1f);
            float[] rowOut = new float[total];
            lattice.apply(one, 1, null, null, 1f, rowOut, false);
            for (int k = 0; k < pixels.length; k++) {
                rows[k] += rowOut[pixels[k]] / (double) shifts;
                for (int l = 0; l < m; l++) {
                    messages[k * m + l] += out[pixels[k] * m + l] / (double) shifts;
                }
            }
        }
        return new Sums(rows, messages, points);
    }

    private static void report(String what, Sums lattice, double[] rows, double[] messages, int m, boolean perPixel) {
        double exactSum = 0;
        double latticeSum = 0;
        for (int k = 0; k < rows.length; k++) {
            exactSum += rows[k];
            latticeSum += lattice.rows()[k];
        }
        double gain = exactSum / latticeSum;
        double rowError = 0;
        double messageError = 0;
        double messageTotal = 0;
        for (int k = 0; k < rows.length; k++) {
            double scale = perPixel ? rows[k] / lattice.rows()[k] : gain;
            rowError += Math.abs(lattice.rows()[k] * scale - rows[k]) / rows[k];
            for (int l = 0; l < m; l++) {
                messageError += Math.abs(lattice.messages()[k * m + l] * scale - messages[k * m + l]);
                messageTotal += messages[k * m + l];
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d lattice points, gain %.3f, row sums %.4f | messages %.4f%n", what,
                lattice.points(), gain, rowError / rows.length, messageError / messageTotal);
    }

    private static float[] softmax(float[] energies, int n, int m) {
        float[] q = new float[n * m];
        for (int i = 0; i < n; i++) {
            double top = Double.NEGATIVE_INFINITY;
            for (int l = 0; l < m; l++) {
                top = Math.max(top, -energies[i * m + l]);
            }
            double sum = 0;
            for (int l = 0; l < m; l++) {
                sum += Math.exp(-energies[i * m + l] - top);
            }
            for (int l = 0; l < m; l++) {
                q[i * m + l] = (float) (Math.exp(-energies[i * m + l] - top) / sum);
            }
        }
        return q;
    }
}
