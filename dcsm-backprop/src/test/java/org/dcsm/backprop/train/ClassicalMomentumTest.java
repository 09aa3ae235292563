package org.dcsm.backprop.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

class ClassicalMomentumTest {

    @Test
    void velocityFollowsCaffesRuleByHand() {
        ClassicalMomentum cfg = new ClassicalMomentum(0.1, 0.9);
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2);
        GradientUpdater<ClassicalMomentum> u = cfg.instantiate(state, true);
        INDArray g1 = Nd4j.create(new float[] {1, 2}, new long[] {1, 2}, 'c');
        u.applyUpdater(g1, 0, 0);
        // v1 = 0.1 * g
        assertThat(g1.getFloat(0, 0)).isCloseTo(0.1f, within(1e-7f));
        assertThat(g1.getFloat(0, 1)).isCloseTo(0.2f, within(1e-7f));
        INDArray g2 = Nd4j.create(new float[] {1, 2}, new long[] {1, 2}, 'c');
        u.applyUpdater(g2, 1, 0);
        // v2 = 0.9 * v1 + 0.1 * g = 0.19, 0.38; the state view holds it
        assertThat(g2.getFloat(0, 0)).isCloseTo(0.19f, within(1e-6f));
        assertThat(g2.getFloat(0, 1)).isCloseTo(0.38f, within(1e-6f));
        assertThat(state.getFloat(0, 1)).isCloseTo(0.38f, within(1e-6f));
        assertThat(cfg.stateSize(7)).isEqualTo(7);
        assertThat(cfg.clone()).isEqualTo(cfg);
    }

    @Test
    void badValuesAreNamed() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> new ClassicalMomentum(0, 0.9)).getMessage())
                .isEqualTo("learningRate must be > 0 and finite, found 0.0");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new ClassicalMomentum(0.1, 1.5)).getMessage())
                .isEqualTo("momentum must be in [0, 1), found 1.5");
    }
}
