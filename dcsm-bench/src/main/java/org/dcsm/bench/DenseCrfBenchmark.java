package org.dcsm.bench;

import java.util.concurrent.TimeUnit;

import org.dcsm.core.LabelMap;
import org.dcsm.crf.CrfInput;
import org.dcsm.crf.CrfSession;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.PreparedImage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The paper's dense CRF ({@link DenseCrf#paper()}: bilateral(30, 10, 1) + gaussian(3, 1), Potts, symmetric
 * normalisation, 10 iterations) on seeded VOC-like scenes ({@link CrfScenes}), per image size, label count
 * and thread count:
 * <ul>
 *   <li>{@link #full}: what a user pays per image: lattices built, 10 iterations, MAP labels;</li>
 *   <li>{@link #construction}: only the lattices and kernel normalisations (session start);</li>
 *   <li>{@link #iterations}: only the 10 mean-field iterations, from a fresh session per invocation: the
 *       lattices are built once per trial ({@link DenseCrf#prepare}), and each invocation starts a new session on
 *       them (untimed, {@link Level#Invocation}; an invocation takes hundreds of milliseconds, far above JMH's
 *       per-invocation overhead), so every measured run starts from the unary, as a user's does;</li>
 *   <li>{@link #reference}: a fixed memory-bound loop of the same data size, the yardstick for ratios.</li>
 * </ul>
 * Sample-time mode, so JMH reports the median (p0.50) beside the mean.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class DenseCrfBenchmark {

    /** width x height: half VOC, VOC (500×375), double VOC. */
    @Param({"500x375", "250x188", "1000x750"})
    public String size;

    @Param({"21", "2"})
    public int labels;

    @Param({"1", "2"})
    public int threads;

    private CrfInput input;
    private DenseCrf crf;
    private PreparedImage prepared;
    private ReferenceLoop reference;

    @Setup(Level.Trial)
    public void setUp() {
        String[] wh = size.split("x");
        input = CrfScenes.scene(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), labels, 42);
        crf = DenseCrf.paper().toBuilder().threads(threads).build();
        prepared = crf.prepare(input.image());
        reference = new ReferenceLoop(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
    }

    /** A fresh session on the trial's lattices before each invocation of {@link #iterations}, closed after it. */
    @State(Scope.Thread)
    public static class FreshSession {
        CrfSession session;

        @Setup(Level.Invocation)
        public void start(DenseCrfBenchmark b) {
            session = b.crf.start(b.prepared, b.input.unary());
        }

        @TearDown(Level.Invocation)
        public void close() {
            session.close();
        }
    }

    @Benchmark
    public LabelMap full() {
        return crf.infer(input);
    }

    @Benchmark
    public long construction() {
        try (CrfSession s = crf.start(input)) {
            return s.latticePoints();
        }
    }

    /**
     * A fixed memory-bound reference of the same data size, to divide the CRF's times by (ratios move less with a
     * shared machine's load than times): 10 streaming passes {@code c = a + 0.5 b} over three arrays of N×24 floats
     * (the size of Q at 21 labels), whatever the label and thread parameters.
     */
    @Benchmark
    public float reference() {
        return reference.run();
    }

    @Benchmark
    public double iterations(FreshSession fresh) {
        fresh.session.step(crf.iterations());
        return fresh.session.lastChange();
    }
}
