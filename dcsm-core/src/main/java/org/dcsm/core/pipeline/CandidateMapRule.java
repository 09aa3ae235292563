package org.dcsm.core.pipeline;

import java.util.List;

import org.dcsm.core.ClassMaps;

/**
 * The replaceable step between Eq. 5 and the refiner (paper §3.4): which candidates' fused maps, scaled how,
 * make the background of Eq. 7 and the label set of the CRF. {@link #paper()} is Eq. 7 as printed, over every
 * candidate. The other factories are <b>beyond the paper</b> (issue 11, item 6): remedies for classes that the
 * classifier wrongly passes as candidates, whose maps, normalised to their own maximum by Eq. 5, cover the
 * background and make {@code 1 − max_c M^c} collapse. They are measured in docs/RESULTS.md; none is the
 * default.
 *
 * <p>The rule runs after Eq. 4, so the subtraction always uses every candidate; only Eq. 7 and the CRF see
 * the rule's choice. Implementations must not modify their input and must be thread-safe; the factories'
 * rules are immutable values with {@code equals} and a {@code toString} that says what they do.
 */
@FunctionalInterface
public interface CandidateMapRule {

    /**
     * @param fused      the candidates' Eq. 5 maps: one entry at the image's size, values in [0, 1], channel
     *                   {@code j} = {@code candidates.get(j)}; not modified
     * @param candidates the candidates with their probabilities, in channel order (not empty)
     * @return the refiner's input: one entry of the same size with the background (class id 0) first, then a
     *         non-empty subset of the candidates in their channel order, values in [0, 1]
     */
    ClassMaps apply(ClassMaps fused, List<Candidate> candidates);

    /** Eq. 7 as printed: {@code M^BG = 1 − max_c M^c} over every candidate, every candidate a label. */
    static CandidateMapRule paper() {
        return CandidateMapRules.Paper.INSTANCE;
    }

    /**
     * Beyond the paper: each candidate's fused map is multiplied by its probability before Eq. 7,
     * {@code M^c ← p_c·M^c}, so a doubtful class claims less of the background and costs
     * {@code −log p_c} more in the unary of Eq. 6. Every candidate stays a label.
     */
    static CandidateMapRule probabilityWeighted() {
        return CandidateMapRules.ProbabilityWeighted.INSTANCE;
    }

    /**
     * Beyond the paper: only candidates with probability {@code p > minProbability} (strictly, as the
     * candidate threshold) enter Eq. 7 and the label set; when none does, the most probable candidate is kept
     * (the first in channel order on a tie). With {@code minProbability} equal to the candidate threshold this
     * drops exactly the candidates that were added to reach the minimum count.
     *
     * @throws IllegalArgumentException when {@code minProbability} is not in [0, 1]
     */
    static CandidateMapRule confidentOnly(double minProbability) {
        return new CandidateMapRules.ConfidentOnly(minProbability, false);
    }

    /**
     * Beyond the paper: {@link #confidentOnly(double)} and then {@link #probabilityWeighted()} on the candidates
     * kept ({@code M^c ← p_c·M^c} before Eq. 7).
     *
     * @throws IllegalArgumentException when {@code minProbability} is not in [0, 1]
     */
    static CandidateMapRule confidentWeighted(double minProbability) {
        return new CandidateMapRules.ConfidentOnly(minProbability, true);
    }
}
