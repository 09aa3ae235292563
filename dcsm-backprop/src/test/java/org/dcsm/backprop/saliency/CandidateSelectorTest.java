package org.dcsm.backprop.saliency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Candidate selection (paper §3.3: threshold 0.5, at least N by rank) edge cases. */
class CandidateSelectorTest {

    @Test
    void aboveThresholdAreAllKeptEvenBeyondTheMinimum() {
        assertThat(CandidateSelector.select(new double[] {0.9, 0.1, 0.8, 0.7, 0.6}, 0.5, 2))
                .containsExactly(0, 2, 3, 4);
    }

    @Test
    void toppedUpByRankWhenTooFewAreAbove() {
        // one above 0.5 (channel 3); topped up by the next two ranks: 0.4 (ch 1), 0.3 (ch 4)
        assertThat(CandidateSelector.select(new double[] {0.1, 0.4, 0.2, 0.9, 0.3}, 0.5, 3))
                .containsExactly(1, 3, 4);
    }

    @Test
    void noneAboveThresholdGivesTheTopN() {
        assertThat(CandidateSelector.select(new double[] {0.1, 0.4, 0.2, 0.05}, 0.5, 3)).containsExactly(0, 1, 2);
    }

    @Test
    void thresholdIsStrict() {
        assertThat(CandidateSelector.select(new double[] {0.5, 0.2}, 0.5, 0)).isEmpty();
        assertThat(CandidateSelector.select(new double[] {0.5000001, 0.2}, 0.5, 0)).containsExactly(0);
    }

    @Test
    void fewerClassesThanNGivesAllClasses() {
        assertThat(CandidateSelector.select(new double[] {0.1, 0.2}, 0.5, 3)).containsExactly(0, 1);
    }

    @Test
    void tiesGoToTheLowerIndexFirst() {
        assertThat(CandidateSelector.select(new double[] {0.2, 0.3, 0.3, 0.3}, 0.5, 2)).containsExactly(1, 2);
        assertThat(CandidateSelector.select(new double[] {0.3, 0.3, 0.3, 0.3}, 0.5, 1)).containsExactly(0);
    }

    @Test
    void zeroMinimumAndNothingAboveIsEmpty() {
        assertThat(CandidateSelector.select(new double[] {0.1, 0.2}, 0.5, 0)).isEmpty();
    }
}
