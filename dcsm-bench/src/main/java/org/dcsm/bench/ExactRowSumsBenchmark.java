package org.dcsm.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.dcsm.crf.impl.ExactGaussianFilter;
import org.dcsm.core.impl.Parallel;
import org.dcsm.crf.impl.PermutohedralLattice;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The exact row sums {@code sum_{j != i} k_ij} of the bilateral kernel (θα 30, θβ 10) of a 160×120 {@link CrfScenes}
 * image, 2 threads: {@link ExactGaussianFilter#rowSums()}, which sums kernel values directly, against the baseline in
 * the same fork, filtering a channel of ones through {@link ExactGaussianFilter#apply} (the path it replaced; the sums
 * are bitwise equal). The ratio of the two scores is the speed-up.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ExactRowSumsBenchmark {

    private static final int W = 160;
    private static final int H = 120;

    private Parallel parallel;
    private ExactGaussianFilter filter;
    private float[] ones;

    @Setup(Level.Trial)
    public void setUp() {
        parallel = Parallel.create(2);
        float[] f = CrfScaleStudy.features(W, H, 30, 10, CrfScenes.rgb(W, H, 4, 11));
        filter = new ExactGaussianFilter(f, W * H, 5, parallel, PermutohedralLattice.VECTOR_API);
        ones = new float[W * H];
        Arrays.fill(ones, 1f);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public float[] direct() {
        return filter.rowSums();
    }

    @Benchmark
    public float[] filterOfOnes() {
        float[] out = new float[W * H];
        filter.apply(ones, 1, null, null, 1f, out, false);
        return out;
    }
}
