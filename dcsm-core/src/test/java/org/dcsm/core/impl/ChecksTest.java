package org.dcsm.core.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void oneExceptionTypePerMistakeEachNamingFieldAndValue() {
        assertThatThrownBy(() -> Checks.notNull(null, "rule")).isInstanceOf(NullPointerException.class)
                .hasMessage("rule");
        assertThatThrownBy(() -> Checks.set(null, "network", "(forNetwork(net))"))
                .isInstanceOf(IllegalStateException.class).hasMessage("network must be set (forNetwork(net))");
        assertThatThrownBy(() -> Checks.positiveFinite(Double.NaN, "alpha")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alpha must be > 0 and finite, found NaN");
        assertThatThrownBy(() -> Checks.positiveFinite(Double.POSITIVE_INFINITY, "alpha"))
                .hasMessage("alpha must be > 0 and finite, found Infinity");
        assertThatThrownBy(() -> Checks.nonNegativeFinite(-0.5, "w")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("w must be >= 0 and finite, found -0.5");
        assertThatThrownBy(() -> Checks.atLeast(-1, 0, "iterations")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("iterations must be >= 0, found -1");
        assertThat(Checks.positiveFinite(3, "alpha")).isEqualTo(3.0);
        assertThat(Checks.nonNegativeFinite(0, "w")).isEqualTo(0.0);
        assertThat(Checks.atLeast(1, 1, "threads")).isEqualTo(1);
        assertThat(Checks.set("x", "f", "")).isEqualTo("x");
    }

    /** One index form for every array: the element's index in the array's own shape. */
    @Test
    void nonFiniteValuesAreReportedAtTheirIndexInTheShape() {
        float[] chw = new float[2 * 3 * 4];
        chw[1 * 12 + 2 * 4 + 3] = Float.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> Checks.finite(chw, "the maps", 2, 3, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Non-finite value -Infinity in the maps at index [1, 2, 3]");
        float[] flat = {0, Float.NaN};
        assertThatThrownBy(() -> Checks.finite(flat, "the map")).hasMessage("Non-finite value NaN in the map at index [1]");
        double[] d = {0, 0, 0, Double.POSITIVE_INFINITY};
        assertThatThrownBy(() -> Checks.finite(d, "weights", 2, 2))
                .hasMessage("Non-finite value Infinity in weights at index [1, 1]");
        Checks.finite(new float[] {0, 1, -2}, "fine", 3);
        assertThat(Checks.index(0, 5, 5)).isEqualTo("[0, 0]");
        assertThat(Checks.index(23, 2, 3, 4)).isEqualTo("[1, 2, 3]");
    }
}
