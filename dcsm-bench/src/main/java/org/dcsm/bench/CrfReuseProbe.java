package org.dcsm.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.dcsm.crf.CrfInput;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.KernelNormalization;
import org.dcsm.crf.PreparedImage;

/**
 * {@link CrfReuseBenchmark}'s two paths in one JVM, rounds interleaved (the order alternating from round to round) so
 * that a shared machine's drifting load hits both alike: the 12 CRFs of tune-crf's grid over weights and modes for
 * one set of θs on one VOC-like scene, each building its own lattices ({@code rebuild}) or all running on one
 * {@link PreparedImage} ({@code reuse}). One thread, so the calling thread's CPU time is all the work; prints per
 * round the CPU and wall times and their ratio, then the medians. Run with
 * {@code java --add-modules jdk.incubator.vector -Xmx2g -cp dcsm-bench/target/benchmarks.jar
 * org.dcsm.bench.CrfReuseProbe [width height labels rounds]} (default 500 375 21 5).
 */
public final class CrfReuseProbe {

    private CrfReuseProbe() {
    }

    public static void main(String[] args) {
        int w = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int h = args.length > 1 ? Integer.parseInt(args[1]) : 375;
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 21;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        CrfInput input = CrfScenes.scene(w, h, m, 42);
        List<DenseCrf> grid = new ArrayList<>();
        for (KernelNormalization mode : new KernelNormalization[] {KernelNormalization.SYMMETRIC,
                KernelNormalization.MEAN}) {
            for (double w1 : new double[] {1, 3, 5}) {
                for (double w2 : new double[] {1, 3}) {
                    grid.add(DenseCrf.builder().bilateral(30, 10, w1).gaussian(3, w2).normalization(mode)
                            .iterations(10).threads(1).build());
                }
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] cpu = new double[2][rounds];
        double[][] wall = new double[2][rounds];
        for (int r = -1; r < rounds; r++) { // round -1 warms both paths up
            for (int k = 0; k < 2; k++) {
                int path = (r + k + 2) % 2; // alternate which path goes first
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                long check = path == 0 ? rebuild(grid, input) : reuse(grid, input);
                long t1 = System.nanoTime();
                long c1 = mx.getCurrentThreadCpuTime();
                if (r >= 0) {
                    cpu[path][r] = (c1 - c0) / 1e6;
                    wall[path][r] = (t1 - t0) / 1e6;
                }
                if (check == Long.MIN_VALUE) {
                    System.out.print("");
                }
            }
            if (r >= 0) {
                System.out.printf(Locale.ROOT, "round %d: rebuild CPU %.0f ms (wall %.0f), "
                        + "reuse CPU %.0f ms (wall %.0f), reuse/rebuild CPU %.3f%n", r, cpu[0][r], wall[0][r],
                        cpu[1][r], wall[1][r], cpu[1][r] / cpu[0][r]);
            }
        }
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratio[r] = cpu[1][r] / cpu[0][r];
        }
        System.out.printf(Locale.ROOT, "%dx%d, %d labels, 12 CRFs: median CPU rebuild %.0f ms, reuse %.0f ms; "
                        + "median per-round ratio reuse/rebuild %.3f; median wall rebuild %.0f ms, reuse %.0f ms%n",
                w, h, m, median(cpu[0]), median(cpu[1]), median(ratio), median(wall[0]), median(wall[1]));
    }

    private static long rebuild(List<DenseCrf> grid, CrfInput input) {
        long sum = 0;
        for (DenseCrf crf : grid) {
            sum += crf.infer(input).toArray()[0];
        }
        return sum;
    }

    private static long reuse(List<DenseCrf> grid, CrfInput input) {
        PreparedImage prepared = grid.get(0).prepare(input.image());
        long sum = 0;
        for (DenseCrf crf : grid) {
            sum += crf.infer(prepared, input.unary(), null)[0];
        }
        return sum;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
