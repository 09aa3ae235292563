package org.dcsm.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.Locale;

/**
 * The dense CRF's setup ({@code DenseCrf.paper().start(input)}: both lattices, row sums, normalisation, Q0) and full
 * inference ({@code infer(input)}, 10 iterations) at the VOC size, for this build and optionally a baseline build's
 * jar, each in its own class loader of one JVM, with a fixed memory-bound reference loop of the same data size
 * (streaming {@code c = a + 0.5 b} over three arrays of N×24 floats, 10 passes), rounds interleaved. Prints per
 * round the calling thread's CPU time of each and the ratios to the reference, then the medians: ratios to the
 * reference move much less with the shared machine's load than the times do. One thread.
 *
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -Xmx3g -cp dcsm-bench/target/benchmarks.jar org.dcsm.bench.CrfSetupProbe \
 *     [baseline-benchmarks.jar] [width height labels rounds]
 * }</pre>
 */
public final class CrfSetupProbe {

    private CrfSetupProbe() {
    }

    /** One build's entry points, reached by reflection so that any version with this public API runs. */
    private static final class Build {
        final String name;
        final Object crf;
        final Object input;
        final Method start;
        final Method close;
        final Method infer;

        Build(String name, ClassLoader loader, int w, int h, int m) throws ReflectiveOperationException {
            this.name = name;
            Class<?> scenes = loader.loadClass("org.dcsm.bench.CrfScenes");
            Class<?> denseCrf = loader.loadClass("org.dcsm.crf.DenseCrf");
            Class<?> crfInput = loader.loadClass("org.dcsm.crf.CrfInput");
            input = scenes.getMethod("scene", int.class, int.class, int.class, long.class).invoke(null, w, h, m, 42L);
            crf = denseCrf.getMethod("paper").invoke(null);
            start = denseCrf.getMethod("start", crfInput);
            infer = denseCrf.getMethod("infer", crfInput);
            close = loader.loadClass("org.dcsm.crf.CrfSession").getMethod("close");
        }

        void setup() throws ReflectiveOperationException {
            close.invoke(start.invoke(crf, input));
        }

        void full() throws ReflectiveOperationException {
            infer.invoke(crf, input);
        }
    }

    public static void main(String[] args) throws Exception {
        int a = 0;
        String baseline = args.length > 0 && args[0].endsWith(".jar") ? args[a++] : null;
        int w = args.length > a ? Integer.parseInt(args[a++]) : 500;
        int h = args.length > a ? Integer.parseInt(args[a++]) : 375;
        int m = args.length > a ? Integer.parseInt(args[a++]) : 21;
        int rounds = args.length > a ? Integer.parseInt(args[a]) : 7;
        URL self = CrfSetupProbe.class.getProtectionDomain().getCodeSource().getLocation();
        Build[] builds = baseline == null
                ? new Build[] {new Build("this", new DcsmFirst(self), w, h, m)}
                : new Build[] {new Build("baseline", new DcsmFirst(new File(baseline).toURI().toURL()), w, h, m),
                        new Build("this", new DcsmFirst(self), w, h, m)};
        ReferenceLoop reference = new ReferenceLoop(w, h);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] ref = new double[rounds];
        double[][] setup = new double[builds.length][rounds];
        double[][] full = new double[builds.length][rounds];
        for (int r = -2; r < rounds; r++) { // two warm-up rounds
            long c0 = mx.getCurrentThreadCpuTime();
            reference.run();
            double refMs = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d: reference %.0f ms", r, refMs));
            for (int b = 0; b < builds.length; b++) {
                long s0 = mx.getCurrentThreadCpuTime();
                builds[b].setup();
                long s1 = mx.getCurrentThreadCpuTime();
                builds[b].full();
                long s2 = mx.getCurrentThreadCpuTime();
                if (r >= 0) {
                    setup[b][r] = (s1 - s0) / 1e6;
                    full[b][r] = (s2 - s1) / 1e6;
                }
                line.append(String.format(Locale.ROOT, "; %s setup %.0f ms (%.2f ref), full %.0f ms (%.2f ref)",
                        builds[b].name, (s1 - s0) / 1e6, (s1 - s0) / 1e6 / refMs, (s2 - s1) / 1e6,
                        (s2 - s1) / 1e6 / refMs));
            }
            if (r >= 0) {
                ref[r] = refMs;
                System.out.println(line);
            }
        }
        System.out.printf(Locale.ROOT, "%dx%d, %d labels, 1 thread, CPU medians over %d rounds: reference %.0f ms%n",
                w, h, m, rounds, median(ref));
        for (int b = 0; b < builds.length; b++) {
            double[] rs = new double[rounds];
            double[] rf = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                rs[r] = setup[b][r] / ref[r];
                rf[r] = full[b][r] / ref[r];
            }
            System.out.printf(Locale.ROOT, "  %s: setup %.0f ms (%.3f x reference), full %.0f ms (%.3f x reference)%n",
                    builds[b].name, median(setup[b]), median(rs), median(full[b]), median(rf));
        }
    }

    /**
     * Loads {@code org.dcsm} classes from its own jar, everything else (ND4J, whose native libraries load once per
     * JVM) from the application class loader.
     */
    private static final class DcsmFirst extends URLClassLoader {
        DcsmFirst(URL jar) {
            super(new URL[] {jar}, ClassLoader.getSystemClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.dcsm.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
