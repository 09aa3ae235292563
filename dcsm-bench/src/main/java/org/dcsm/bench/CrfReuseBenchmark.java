package org.dcsm.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.dcsm.crf.CrfInput;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.KernelNormalization;
import org.dcsm.crf.PreparedImage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code dcsm tune-crf} pays per image and set of θs (here the paper's: θα = 30, θβ = 10, θγ = 3): the grid over
 * the weights and modes it searches ({@code w1} ∈ {1, 3, 5} × {@code w2} ∈ {1, 3} × SYMMETRIC, MEAN = 12 CRFs, 10
 * iterations each) on one VOC-like scene ({@link CrfScenes}), either
 * <ul>
 *   <li>{@link #rebuild}: every CRF builds its own filters ({@link DenseCrf#infer(CrfInput)}, the path before
 *       issue 16), or</li>
 *   <li>{@link #reuse}: one {@link DenseCrf#prepare} per image, every CRF runs on it
 *       ({@link DenseCrf#infer(PreparedImage, org.dcsm.crf.UnaryEnergies)}, what tune-crf does now).</li>
 * </ul>
 * Both give the same labels (bitwise the same marginals; tested in dcsm-crf's {@code PreparedImageTest}). Single-shot
 * timing: one operation is 12 inferences of several hundred ms each.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class CrfReuseBenchmark {

    /** width x height. */
    @Param({"500x375"})
    public String size;

    @Param({"21"})
    public int labels;

    @Param({"1"})
    public int threads;

    private CrfInput input;
    private List<DenseCrf> grid;

    @Setup
    public void setUp() {
        String[] wh = size.split("x");
        input = CrfScenes.scene(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), labels, 42);
        grid = new ArrayList<>();
        for (KernelNormalization mode : new KernelNormalization[] {KernelNormalization.SYMMETRIC,
                KernelNormalization.MEAN}) {
            for (double w1 : new double[] {1, 3, 5}) {
                for (double w2 : new double[] {1, 3}) {
                    grid.add(DenseCrf.builder().bilateral(30, 10, w1).gaussian(3, w2).normalization(mode)
                            .iterations(10).threads(threads).build());
                }
            }
        }
    }

    @Benchmark
    public long rebuild() {
        long sum = 0;
        for (DenseCrf crf : grid) {
            sum += crf.infer(input).toArray()[0];
        }
        return sum;
    }

    @Benchmark
    public long reuse() {
        PreparedImage prepared = grid.get(0).prepare(input.image());
        long sum = 0;
        for (DenseCrf crf : grid) {
            sum += crf.infer(prepared, input.unary(), null)[0];
        }
        return sum;
    }
}
