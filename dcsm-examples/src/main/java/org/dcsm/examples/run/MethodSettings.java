package org.dcsm.examples.run;

import java.util.Arrays;
import java.util.Objects;

import org.dcsm.core.ClassMapSubtractor;

/**
 * How DCSM and the baseline are run (paper §3, with the ablation switches of Tables 2–5): the VGG blocks
 * whose convolutions give maps (paper best: 3, 4, 5), guided or plain backprop, the candidate rule
 * (probability &gt; threshold, at least {@code minCandidates}), the input scales (longest side in pixels;
 * empty = the image as given), the Eq. 4 rule, the CRF, and the thread count. Immutable.
 */
public record MethodSettings(int[] blocks, boolean guided, double threshold, int minCandidates, int[] scales,
                             ClassMapSubtractor.Rule subtraction, CrfSettings crf, int threads) {

    /** @throws IllegalArgumentException naming the bad setting */
    public MethodSettings {
        Objects.requireNonNull(blocks, "blocks");
        Objects.requireNonNull(scales, "scales");
        Objects.requireNonNull(subtraction, "subtraction");
        Objects.requireNonNull(crf, "crf");
        if (blocks.length == 0) {
            throw new IllegalArgumentException("blocks must name at least one block, found none");
        }
        for (int b : blocks) {
            if (b < 1) {
                throw new IllegalArgumentException("blocks must be >= 1, found " + b);
            }
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], found " + threshold);
        }
        if (minCandidates < 0) {
            throw new IllegalArgumentException("minCandidates must be >= 0, found " + minCandidates);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        blocks = blocks.clone();
        scales = scales.clone();
    }

    /** The paper's settings: blocks 3–5, guided, threshold 0.5, ≥ 3 candidates, Eq. 4 as printed, paper CRF. */
    public static MethodSettings paper(int[] scales, int threads) {
        return new MethodSettings(new int[] {3, 4, 5}, true, 0.5, 3, scales, ClassMapSubtractor.Rule.PAPER,
                CrfSettings.paper(), threads);
    }

    /**
     * The paper's three scales 400/500/600 for 500-px images, as factors 0.8, 1.0, 1.2 of {@code side},
     * none below {@code minimum}.
     */
    public static int[] paperScales(int side, int minimum) {
        return Arrays.stream(new double[] {0.8, 1.0, 1.2}).mapToInt(f -> Math.max(minimum, (int) Math.round(f * side)))
                .distinct().toArray();
    }

    @Override
    public int[] blocks() {
        return blocks.clone();
    }

    @Override
    public int[] scales() {
        return scales.clone();
    }

    public MethodSettings withBlocks(int... b) {
        return new MethodSettings(b, guided, threshold, minCandidates, scales, subtraction, crf, threads);
    }

    public MethodSettings withGuided(boolean g) {
        return new MethodSettings(blocks, g, threshold, minCandidates, scales, subtraction, crf, threads);
    }

    public MethodSettings withMinCandidates(int n) {
        return new MethodSettings(blocks, guided, threshold, n, scales, subtraction, crf, threads);
    }

    public MethodSettings withScales(int... s) {
        return new MethodSettings(blocks, guided, threshold, minCandidates, s, subtraction, crf, threads);
    }

    public MethodSettings withSubtraction(ClassMapSubtractor.Rule rule) {
        return new MethodSettings(blocks, guided, threshold, minCandidates, scales, rule, crf, threads);
    }

    public MethodSettings withCrf(CrfSettings c) {
        return new MethodSettings(blocks, guided, threshold, minCandidates, scales, subtraction, c, threads);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MethodSettings m && Arrays.equals(blocks, m.blocks) && guided == m.guided
                && threshold == m.threshold && minCandidates == m.minCandidates && Arrays.equals(scales, m.scales)
                && subtraction == m.subtraction && crf.equals(m.crf) && threads == m.threads;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(blocks), guided, threshold, minCandidates, Arrays.hashCode(scales),
                subtraction, crf, threads);
    }

    @Override
    public String toString() {
        return "blocks " + Arrays.toString(blocks) + (guided ? ", guided" : ", plain") + " BP, candidates p > " + threshold
                + " (at least " + minCandidates + "), scales " + Arrays.toString(scales) + ", Eq. 4 " + subtraction
                + ", CRF " + crf;
    }
}
