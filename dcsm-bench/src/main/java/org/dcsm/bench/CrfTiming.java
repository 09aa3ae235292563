package org.dcsm.bench;

import java.util.Arrays;
import java.util.Locale;

import org.dcsm.crf.CrfInput;
import org.dcsm.crf.CrfSession;
import org.dcsm.crf.DenseCrf;

/**
 * A quick wall-clock measurement of the paper CRF outside JMH, printing construction and inference times
 * and the lattice sizes: {@code java -cp dcsm-bench/target/benchmarks.jar org.dcsm.bench.CrfTiming
 * [width height labels threads repeats [normalization [latticeCalibration]]]} (default the paper CRF, SYMMETRIC). The JMH benchmarks ({@link DenseCrfBenchmark}) are the reference.
 */
public final class CrfTiming {

    private CrfTiming() {
    }

    public static void main(String[] args) {
        int w = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int h = args.length > 1 ? Integer.parseInt(args[1]) : 375;
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 21;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        org.dcsm.crf.KernelNormalization mode = args.length > 5 ? org.dcsm.crf.KernelNormalization.valueOf(args[5])
                : org.dcsm.crf.KernelNormalization.SYMMETRIC;
        boolean calibrate = args.length <= 6 || Boolean.parseBoolean(args[6]);
        CrfInput input = CrfScenes.scene(w, h, m, 42);
        DenseCrf crf = DenseCrf.paper().toBuilder().threads(threads).normalization(mode).latticeCalibration(calibrate)
                .build();
        double[] build = new double[repeats];
        double[] total = new double[repeats];
        long points = 0;
        long bytes = 0;
        double[] cpu = new double[repeats];
        double[] startCpu = new double[repeats];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int r = 0; r < repeats; r++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            try (CrfSession s = crf.start(input)) {
                startCpu[r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
                s.run();
                s.labels();
                build[r] = s.constructionNanos() / 1e6;
                points = s.latticePoints();
                bytes = s.latticeBytes();
            }
            total[r] = (System.nanoTime() - t0) / 1e6;
            cpu[r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(build);
        Arrays.sort(total);
        Arrays.sort(cpu);
        Arrays.sort(startCpu);
        System.out.printf(Locale.ROOT, "%s%n", crf);
        System.out.printf(Locale.ROOT, "%dx%d labels=%d threads=%d: median total %.1f ms (min %.1f), "
                        + "median construction %.1f ms, median CPU time of the calling thread %.1f ms (start %.1f ms), lattice points %d, lattice bytes %.1f MB%n",
                w, h, m, threads, total[repeats / 2], total[0], build[repeats / 2], cpu[repeats / 2], startCpu[repeats / 2], points, bytes / 1e6);
    }
}
