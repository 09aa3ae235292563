package org.dcsm.backprop.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MultiLabelEvaluationTest {

    @Test
    void averagePrecisionByHand() {
        // class 1 scores 0.9 (pos), 0.8 (neg), 0.7 (pos), 0.1 (neg): precisions 1/1 and 2/3 -> AP 5/6
        // class 2 scores 0.2 (neg), 0.6 (pos), 0.4 (neg), 0.3 (neg): positive ranked first -> AP 1
        float[] scores = {0.9f, 0.2f, 0.8f, 0.6f, 0.7f, 0.4f, 0.1f, 0.3f};
        boolean[] labels = {true, false, false, true, true, false, false, false};
        MultiLabelEvaluation e = MultiLabelEvaluation.of(scores, labels, 4, 2);
        assertThat(e.averagePrecision(1)).isCloseTo(5.0 / 6, within(1e-12));
        assertThat(e.averagePrecision(2)).isEqualTo(1.0);
        assertThat(e.meanAveragePrecision()).isCloseTo((5.0 / 6 + 1) / 2, within(1e-12));
        // predicted sets at 0.5: {1}, {1,2}, {1}, {} vs labels {1}, {2}, {1}, {} -> 3 of 4 exact
        assertThat(e.exactMatchAccuracy()).isEqualTo(0.75);
        assertThat(e.exactMatchAccuracy(0.85)).isEqualTo(0.5); // {1}, {}, {}, {}
    }

    @Test
    void tiesArePessimisticAndClassesWithoutPositivesAreSkipped() {
        // all scores equal: the positive ranks last among 4 -> AP 1/4
        float[] scores = {0.5f, 0.5f, 0.5f, 0.5f};
        boolean[] labels = {false, false, false, true};
        MultiLabelEvaluation e = MultiLabelEvaluation.of(scores, labels, 4, 1);
        assertThat(e.averagePrecision(1)).isEqualTo(0.25);
        MultiLabelEvaluation none = MultiLabelEvaluation.of(new float[] {0.1f, 0.9f}, new boolean[] {false, true}, 1, 2);
        assertThat(none.averagePrecision(1)).isNaN();
        assertThat(none.meanAveragePrecision()).isEqualTo(1.0);
    }

    @Test
    void badInputsAreNamed() {
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MultiLabelEvaluation.of(new float[3], new boolean[4], 2, 2)).getMessage())
                .isEqualTo("scores and labels must have n*k = 4 entries, found 3 and 4");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MultiLabelEvaluation.of(new float[] {Float.NaN}, new boolean[1], 1, 1)).getMessage())
                .isEqualTo("score of image 0, class channel 0 is NaN");
        MultiLabelEvaluation e = MultiLabelEvaluation.of(new float[] {1}, new boolean[] {true}, 1, 1);
        assertThat(assertThrows(IllegalArgumentException.class, () -> e.averagePrecision(2)).getMessage())
                .isEqualTo("class id must be in 1..1, found 2");
    }

    @Test
    void tallyOfStreamedRowsEqualsTheFlatEvaluation() {
        // the by-hand case above, added image by image with class ids instead of flags
        MultiLabelEvaluation.Tally tally = new MultiLabelEvaluation.Tally(2);
        tally.add(new int[] {1}, new float[] {0.9f, 0.2f});
        tally.add(new int[] {2}, new float[] {0.8f, 0.6f});
        tally.add(new int[] {1}, new float[] {0.7f, 0.4f});
        tally.add(new int[0], new float[] {0.1f, 0.3f});
        MultiLabelEvaluation e = tally.evaluation();
        assertThat(e.imageCount()).isEqualTo(4);
        assertThat(e.averagePrecision(1)).isCloseTo(5.0 / 6, within(1e-12));
        assertThat(e.averagePrecision(2)).isEqualTo(1.0);
        assertThat(e.exactMatchAccuracy()).isEqualTo(0.75);
    }

    @Test
    void tallyRejectsWrongRowsAndEmptiness() {
        MultiLabelEvaluation.Tally tally = new MultiLabelEvaluation.Tally(2);
        assertThat(assertThrows(IllegalArgumentException.class, tally::evaluation).getMessage())
                .isEqualTo("no image was added to the tally");
        assertThat(assertThrows(IllegalArgumentException.class, () -> tally.add(new int[] {1}, new float[3]))
                .getMessage()).isEqualTo("expected 2 scores, found 3");
        assertThat(assertThrows(IllegalArgumentException.class, () -> tally.add(new int[] {3}, new float[2]))
                .getMessage()).isEqualTo("class id 3 is outside 1..2");
        assertThat(tally.imageCount()).isZero();
    }
}
