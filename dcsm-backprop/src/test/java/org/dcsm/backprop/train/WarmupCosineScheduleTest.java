package org.dcsm.backprop.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class WarmupCosineScheduleTest {

    @Test
    void warmsUpLinearlyThenFollowsTheCosine() {
        // base 0.1, 4 warm-up iterations, 12 in all, down to 10 %: s = (t - 4) / 8
        WarmupCosineSchedule s = new WarmupCosineSchedule(0.1, 4, 12, 0.1);
        assertThat(s.valueAt(0, 0)).isCloseTo(0.025, within(1e-15)); // 0.1 * 1/4
        assertThat(s.valueAt(3, 0)).isCloseTo(0.1, within(1e-15));
        assertThat(s.valueAt(4, 0)).isCloseTo(0.1, within(1e-15)); // s = 0: cos 0 = 1
        // s = 1/2: 0.1 * (0.1 + 0.9 * (1 + cos(pi/2)) / 2) = 0.1 * 0.55
        assertThat(s.valueAt(8, 0)).isCloseTo(0.055, within(1e-15));
        assertThat(s.valueAt(12, 0)).isCloseTo(0.01, within(1e-15)); // s = 1: the final 10 %
        assertThat(s.valueAt(100, 9)).isCloseTo(0.01, within(1e-15)); // past the end it stays there
    }

    @Test
    void withoutWarmupItStartsAtTheBaseRate() {
        WarmupCosineSchedule s = new WarmupCosineSchedule(2.0, 0, 2, 0.0);
        assertThat(s.valueAt(0, 0)).isEqualTo(2.0);
        assertThat(s.valueAt(1, 0)).isCloseTo(1.0, within(1e-15));
        assertThat(s.valueAt(2, 0)).isCloseTo(0.0, within(1e-15));
    }

    @Test
    void survivesDl4jsJsonLikeNd4jsOwnSchedules() throws Exception {
        IUpdater adam = new Adam(new WarmupCosineSchedule(1e-3, 10, 100, 0.05));
        ObjectMapper json = new ObjectMapper();
        IUpdater back = json.readValue(json.writeValueAsString(adam), IUpdater.class);
        assertThat(back.getLearningRate(50, 0)).isEqualTo(adam.getLearningRate(50, 0));
        IUpdater sgd = new ClassicalMomentum(new WarmupCosineSchedule(0.1, 1, 4, 0), 0.9);
        IUpdater sgdBack = json.readValue(json.writeValueAsString(sgd), IUpdater.class);
        assertThat(sgdBack).isEqualTo(sgd);
        assertThat(sgdBack.getLearningRate(2, 0)).isCloseTo(0.075, within(1e-15)); // s = 1/3: 0.1 * (1 + 1/2) / 2
    }

    @Test
    void badValuesAreNamed() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(0, 0, 1, 0))
                .getMessage()).contains("baseRate");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(1, 5, 4, 0))
                .getMessage()).contains("totalIterations");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(1, 0, 4, 1.5))
                .getMessage()).contains("finalFraction");
    }
}
