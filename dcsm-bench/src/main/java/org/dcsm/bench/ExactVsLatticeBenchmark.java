package org.dcsm.bench;

import java.util.concurrent.TimeUnit;

import org.dcsm.core.LabelMap;
import org.dcsm.crf.CrfInput;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.ExactDenseCrf;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The exact O(N²) mean field ({@link ExactDenseCrf}) beside the lattice one on the same 64×64 scene with the
 * paper's parameters, 1 thread, 10 iterations, construction included: the ratio is the lattice's speed-up.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ExactVsLatticeBenchmark {

    @Param({"21"})
    public int labels;

    private CrfInput input;
    private DenseCrf crf;

    @Setup(Level.Trial)
    public void setUp() {
        input = CrfScenes.scene(64, 64, labels, 42);
        crf = DenseCrf.paper();
    }

    @Benchmark
    public LabelMap lattice() {
        return crf.infer(input);
    }

    @Benchmark
    public LabelMap exact() {
        return ExactDenseCrf.of(crf).solve(input).labels();
    }
}
