package org.dcsm.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.dcsm.crf.CrfImage;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.PreparedImage;
import org.dcsm.crf.UnaryEnergies;
import org.dcsm.crf.UnaryLayout;

/**
 * dcsm's {@link DenseCrf} against Krähenbühl's C++ densecrf v2 on the same input, rounds interleaved (the order
 * rotating from round to round) so that a shared machine's drifting load hits every side alike. Issue 16's
 * measurement: the paper CRF (bilateral θα 30, θβ 10, w 1; Gaussian θγ 3, w 1; SYMMETRIC; 10 iterations) on the
 * VOC-like {@link CrfScenes} scene, from raw arrays to labels on both sides.
 *
 * <p>Per round: the C++ driver runs once in its own process (its setup, {@code DenseCRF2D} + unary copy + both
 * pairwise terms, and its inference, {@code inference(10)} + argmax, timed inside it with the thread's CPU clock and
 * the monotonic clock, so process start and file reading are outside); dcsm runs on 1 thread (CPU time of the calling
 * thread, which does all the work, and wall time) and on each further thread count asked for (wall time: the pool's
 * threads work too). dcsm's setup is {@code UnaryEnergies.of} + {@code CrfImage.of} + {@link DenseCrf#prepare}; its
 * inference is {@link DenseCrf#infer(PreparedImage, UnaryEnergies, int[])} (normalisation, Q0, the iterations, the
 * labels). Label agreement with C++ is printed per round. Each round also runs {@link ReferenceLoop} (CPU time), and the
 * CPU totals are printed in its units too, so that a later run without the C++ side can be set against this one.
 *
 * <p>The C++ side is not part of this repository (its licence and origin are its own): build densecrf v2 and a driver
 * that reads the scene file this probe writes (little-endian int32 W, H, M; W·H·3 bytes interleaved RGB; W·H·M float32
 * energies, pixel-major), runs {@code crfbench SCENE w1 θα θβ w2 θγ iterations reps LABELS_OUT} and prints
 * {@code rep setupCpuMs inferenceCpuMs setupWallMs inferenceWallMs}; docs/PERFORMANCE.md says how it was built.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -Xmx3g -cp dcsm-bench/target/benchmarks.jar
 * org.dcsm.bench.CrfVsCppProbe CRFBENCH [width height labels rounds threads...]} (default 500 375 21 7 2).
 */
public final class CrfVsCppProbe {

    private static final int ITERATIONS = 10;

    private CrfVsCppProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: CrfVsCppProbe CRFBENCH [width height labels rounds threads...]");
            System.exit(2);
        }
        Path cpp = Path.of(args[0]);
        int w = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int h = args.length > 2 ? Integer.parseInt(args[2]) : 375;
        int m = args.length > 3 ? Integer.parseInt(args[3]) : 21;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 7;
        int[] threads = args.length > 5 ? Arrays.stream(args, 5, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {2};
        int n = w * h;
        float[][] g = CrfScenes.generate(w, h, m, 42);
        byte[] rgb = new byte[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                rgb[3 * i + c] = (byte) Math.round(g[0][c * n + i]);
            }
        }
        float[] pixelMajor = new float[n * m];
        for (int l = 0; l < m; l++) {
            for (int i = 0; i < n; i++) {
                pixelMajor[i * m + l] = g[1][l * n + i];
            }
        }
        Path dir = Files.createTempDirectory("crf-vs-cpp");
        Path scene = dir.resolve("scene.bin");
        Path labelsFile = dir.resolve("labels.bin");
        writeScene(scene, w, h, m, rgb, pixelMajor);

        int sides = 1 + 1 + threads.length; // C++, dcsm 1 thread, dcsm at each further count
        ReferenceLoop reference = new ReferenceLoop(w, h);
        double[] referenceCpu = new double[rounds];
        String[] names = new String[sides];
        names[0] = "C++ (1 thread)";
        names[1] = "dcsm 1 thread";
        List<DenseCrf> crfs = new ArrayList<>();
        crfs.add(DenseCrf.paper().toBuilder().threads(1).build());
        for (int t = 0; t < threads.length; t++) {
            names[2 + t] = "dcsm " + threads[t] + " threads";
            crfs.add(DenseCrf.paper().toBuilder().threads(threads[t]).build());
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // [side][round] setup and inference, CPU (C++ and dcsm 1 thread) and wall
        double[][] setupCpu = new double[sides][rounds];
        double[][] inferCpu = new double[sides][rounds];
        double[][] setupWall = new double[sides][rounds];
        double[][] inferWall = new double[sides][rounds];
        int[] dcsmLabels = new int[n];
        System.out.printf(Locale.ROOT, "%dx%d, %d labels, %s, load average at start %.2f%n", w, h, m,
                DenseCrf.paper(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int r = -2; r < rounds; r++) { // rounds -2 and -1 warm every side up
            StringBuilder line = new StringBuilder(r < 0 ? "warm-up" : "round " + r).append(':');
            long c0 = mx.getCurrentThreadCpuTime();
            reference.run();
            if (r >= 0) {
                referenceCpu[r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
                line.append(String.format(Locale.ROOT, " reference %.0f ms CPU;", referenceCpu[r]));
            }
            for (int k = 0; k < sides; k++) {
                int side = Math.floorMod(r + k, sides); // rotate which side goes first
                double[] t;
                if (side == 0) {
                    t = runCpp(cpp, scene, labelsFile);
                } else {
                    t = runDcsm(crfs.get(side - 1), rgb, pixelMajor, w, h, m, dcsmLabels, mx);
                }
                if (r >= 0) {
                    setupCpu[side][r] = t[0];
                    inferCpu[side][r] = t[1];
                    setupWall[side][r] = t[2];
                    inferWall[side][r] = t[3];
                }
            }
            double agree = agreement(dcsmLabels, readLabels(labelsFile, n));
            if (r >= 0) {
                line.append(String.format(Locale.ROOT, " C++ %.0f+%.0f ms CPU (wall %.0f+%.0f);",
                        setupCpu[0][r], inferCpu[0][r], setupWall[0][r], inferWall[0][r]));
                line.append(String.format(Locale.ROOT, " dcsm-1 %.0f+%.0f ms CPU (wall %.0f+%.0f);",
                        setupCpu[1][r], inferCpu[1][r], setupWall[1][r], inferWall[1][r]));
                for (int s = 2; s < sides; s++) {
                    line.append(String.format(Locale.ROOT, " %s wall %.0f+%.0f ms;", names[s], setupWall[s][r],
                            inferWall[s][r]));
                }
            }
            line.append(String.format(Locale.ROOT, " labels agree %.3f %%", 100 * agree));
            System.out.println(line);
        }
        System.out.println();
        System.out.println("| side | setup (ms) | inference (ms) | total (ms) | total / C++ total, median of rounds |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        double[] cppCpuTotal = sum(setupCpu[0], inferCpu[0]);
        double[] cppWallTotal = sum(setupWall[0], inferWall[0]);
        row("C++ CPU", setupCpu[0], inferCpu[0], cppCpuTotal);
        row("C++ wall", setupWall[0], inferWall[0], cppWallTotal);
        row("dcsm 1 thread CPU", setupCpu[1], inferCpu[1], cppCpuTotal);
        row("dcsm 1 thread wall", setupWall[1], inferWall[1], cppWallTotal);
        for (int s = 2; s < sides; s++) {
            row(names[s] + " wall", setupWall[s], inferWall[s], cppWallTotal);
        }
        double[] cppPerRef = new double[rounds];
        double[] dcsmPerRef = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            cppPerRef[r] = cppCpuTotal[r] / referenceCpu[r];
            dcsmPerRef[r] = (setupCpu[1][r] + inferCpu[1][r]) / referenceCpu[r];
        }
        System.out.printf(Locale.ROOT, "reference loop %.0f ms CPU (median); CPU totals in reference units, medians: "
                + "C++ %.2f, dcsm 1 thread %.2f%n", median(referenceCpu), median(cppPerRef), median(dcsmPerRef));
        System.out.printf(Locale.ROOT, "load average at end %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void row(String name, double[] setup, double[] infer, double[] baseTotal) {
        double[] total = sum(setup, infer);
        double[] ratio = new double[total.length];
        for (int r = 0; r < total.length; r++) {
            ratio[r] = total[r] / baseTotal[r];
        }
        System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.3f (%.3f–%.3f) |%n", name, median(setup),
                median(infer), median(total), median(ratio), Arrays.stream(ratio).min().orElse(0),
                Arrays.stream(ratio).max().orElse(0));
    }

    /** {setup CPU, inference CPU, setup wall, inference wall} in ms; CPU is the calling thread's. */
    private static double[] runDcsm(DenseCrf crf, byte[] rgb, float[] pixelMajor, int w, int h, int m, int[] labels,
                                    ThreadMXBean mx) {
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        UnaryEnergies unary = UnaryEnergies.of(pixelMajor, UnaryLayout.PIXEL_MAJOR, m, w, h, null);
        PreparedImage prepared = crf.prepare(CrfImage.of(rgb, w, h));
        long c1 = mx.getCurrentThreadCpuTime();
        long t1 = System.nanoTime();
        crf.infer(prepared, unary, labels);
        long c2 = mx.getCurrentThreadCpuTime();
        long t2 = System.nanoTime();
        return new double[] {(c1 - c0) / 1e6, (c2 - c1) / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6};
    }

    private static double[] runCpp(Path cpp, Path scene, Path labelsFile) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cpp.toString(), scene.toString(), "1", "30", "10", "1", "3",
                Integer.toString(ITERATIONS), "1", labelsFile.toString()).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("C++ driver failed: " + out);
        }
        String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
        String[] f = last.trim().split("\\s+");
        return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                Double.parseDouble(f[4])};
    }

    private static void writeScene(Path file, int w, int h, int m, byte[] rgb, float[] pixelMajor)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12 + rgb.length + 4 * pixelMajor.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(w).putInt(h).putInt(m).put(rgb);
        b.asFloatBuffer().put(pixelMajor);
        Files.write(file, b.array());
    }

    private static int[] readLabels(Path file, int n) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[n];
        b.asIntBuffer().get(out);
        return out;
    }

    private static double agreement(int[] a, int[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return same / (double) a.length;
    }

    private static double[] sum(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
