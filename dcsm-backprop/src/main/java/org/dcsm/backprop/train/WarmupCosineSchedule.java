package org.dcsm.backprop.train;

import java.util.Objects;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Linear warm-up followed by cosine decay, by iteration: {@code η(t) = η·(t + 1)/W} for the first W
 * iterations, then {@code η·(f + (1 − f)·(1 + cos(π·s))/2)} with {@code s = (t − W)/(T − W)} clamped to
 * [0, 1], where T is the total number of iterations and f the final fraction of the base rate. Iterations
 * past T keep the final rate {@code f·η}.
 *
 * <p>What PyTorch spells {@code LinearLR} + {@code CosineAnnealingLR} (with {@code eta_min = f·η}), as an
 * ND4J {@link ISchedule} so that any DL4J updater ({@code Adam}, {@link ClassicalMomentum}) can use it.
 * Immutable; serialisable by DL4J's JSON (Jackson) like ND4J's own schedules.
 */
public final class WarmupCosineSchedule implements ISchedule {

    private static final long serialVersionUID = 1L;

    private final double baseRate;
    private final long warmupIterations;
    private final long totalIterations;
    private final double finalFraction;

    /**
     * @param baseRate         η &gt; 0, the rate at the end of the warm-up
     * @param warmupIterations W ≥ 0 (0 = no warm-up)
     * @param totalIterations  T ≥ max(W, 1)
     * @param finalFraction    f in [0, 1]: the rate reached at T, as a fraction of η
     * @throws IllegalArgumentException naming the bad value
     */
    @JsonCreator
    public WarmupCosineSchedule(@JsonProperty("baseRate") double baseRate,
            @JsonProperty("warmupIterations") long warmupIterations,
            @JsonProperty("totalIterations") long totalIterations,
            @JsonProperty("finalFraction") double finalFraction) {
        if (!(baseRate > 0) || !Double.isFinite(baseRate)) {
            throw new IllegalArgumentException("baseRate must be > 0 and finite, found " + baseRate);
        }
        if (warmupIterations < 0) {
            throw new IllegalArgumentException("warmupIterations must be >= 0, found " + warmupIterations);
        }
        if (totalIterations < Math.max(1, warmupIterations)) {
            throw new IllegalArgumentException("totalIterations must be >= max(1, warmupIterations = "
                    + warmupIterations + "), found " + totalIterations);
        }
        if (!(finalFraction >= 0 && finalFraction <= 1)) {
            throw new IllegalArgumentException("finalFraction must be in [0, 1], found " + finalFraction);
        }
        this.baseRate = baseRate;
        this.warmupIterations = warmupIterations;
        this.totalIterations = totalIterations;
        this.finalFraction = finalFraction;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration < warmupIterations) {
            return baseRate * (iteration + 1) / warmupIterations;
        }
        long span = totalIterations - warmupIterations;
        double s = span == 0 ? 1 : Math.min(1.0, (double) (iteration - warmupIterations) / span);
        return baseRate * (finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * s)));
    }

    @Override
    public ISchedule clone() {
        return this; // immutable
    }

    /** η. */
    @JsonProperty("baseRate")
    public double baseRate() {
        return baseRate;
    }

    /** W. */
    @JsonProperty("warmupIterations")
    public long warmupIterations() {
        return warmupIterations;
    }

    /** T. */
    @JsonProperty("totalIterations")
    public long totalIterations() {
        return totalIterations;
    }

    /** f. */
    @JsonProperty("finalFraction")
    public double finalFraction() {
        return finalFraction;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WarmupCosineSchedule s && s.baseRate == baseRate && s.warmupIterations == warmupIterations
                && s.totalIterations == totalIterations && s.finalFraction == finalFraction;
    }

    @Override
    public int hashCode() {
        return Objects.hash(baseRate, warmupIterations, totalIterations, finalFraction);
    }

    @Override
    public String toString() {
        return "WarmupCosineSchedule(base=" + baseRate + ", warmup=" + warmupIterations + ", total=" + totalIterations
                + ", final=" + finalFraction + ")";
    }
}
