package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ClassMapsTest {

    @Test
    void copiesInAndOut() {
        var source = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        ClassMaps maps = ClassMaps.of(new int[] {3, 5}, source);
        source.putScalar(0, 100f);
        assertThat(maps.single().getFloat(0)).isEqualTo(1f);
        maps.single().putScalar(0, 100f);
        assertThat(maps.single().getFloat(0)).isEqualTo(1f);
        assertThat(maps.channelOf(5)).isEqualTo(1);
        assertThat(maps.channelOf(4)).isEqualTo(-1);
    }

    @Test
    void rejectsBadInput() {
        var ok = Nd4j.zeros(2, 2, 2);
        assertThat(assertThrows(IllegalArgumentException.class, () -> ClassMaps.of(new int[0], ok)))
                .hasMessageContaining("at least one class id");
        assertThat(assertThrows(IllegalArgumentException.class, () -> ClassMaps.of(new int[] {1, 1}, ok)))
                .hasMessageContaining("appears twice");
        assertThat(assertThrows(IllegalArgumentException.class, () -> ClassMaps.of(new int[] {1}, ok)))
                .hasMessageContaining("2 channels but there are 1 class ids");
        assertThat(assertThrows(IllegalArgumentException.class, () -> ClassMaps.of(new int[] {1, 2}, Nd4j.zeros(2, 4))))
                .hasMessageContaining("rank 3");
        var nan = Nd4j.zeros(2, 2, 2);
        nan.putScalar(new long[] {1, 0, 1}, Float.NaN);
        assertThat(assertThrows(IllegalArgumentException.class, () -> ClassMaps.of(new int[] {1, 2}, nan)))
                .hasMessageContaining("NaN").hasMessageContaining("[1, 0, 1]");
    }
}
