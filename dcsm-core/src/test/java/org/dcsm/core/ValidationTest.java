package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ValidationTest {

    @Test
    void requireFiniteNamesTheFirstBadElementForFloatAndDouble() {
        INDArray f = Nd4j.zeros(DataType.FLOAT, 2, 3);
        f.putScalar(new long[] {1, 2}, Float.NEGATIVE_INFINITY);
        assertThat(assertThrows(IllegalArgumentException.class, () -> Validation.requireFinite(f, "the maps")))
                .hasMessage("Non-finite value -Infinity in the maps at index [1, 2]");
        INDArray d = Nd4j.zeros(DataType.DOUBLE, 2, 2);
        d.putScalar(new long[] {0, 1}, Double.NaN);
        assertThat(assertThrows(IllegalArgumentException.class, () -> Validation.requireFinite(d, "x")))
                .hasMessage("Non-finite value NaN in x at index [0, 1]");
        // a transposed (non-'c') float view is scanned in logical order
        INDArray t = Nd4j.create(new float[] {0, 1, Float.NaN, 3}, new long[] {2, 2}, 'c').transpose();
        assertThat(assertThrows(IllegalArgumentException.class, () -> Validation.requireFinite(t, "t")))
                .hasMessageContaining("at index [0, 1]");
        assertThatCode(() -> Validation.requireFinite(Nd4j.ones(DataType.FLOAT, 3, 3), "ok")).doesNotThrowAnyException();
    }

    @Test
    void requireShape() {
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> Validation.requireShape(Nd4j.zeros(DataType.FLOAT, 2, 3), "unary", 3, 2)))
                .hasMessage("unary must have shape [3, 2], found [2, 3]");
    }
}
