package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClassIdsTest {

    @Test
    void keepsChannelOrderAndNeverSharesItsArray() {
        int[] given = {12, 0, 15};
        ClassIds ids = ClassIds.of(given);
        given[0] = 99;
        assertThat(ids.toArray()).containsExactly(12, 0, 15);
        ids.toArray()[1] = 7;
        assertThat(ids.get(1)).isEqualTo(0);
        assertThat(ids.size()).isEqualTo(3);
        assertThat(ids.indexOf(15)).isEqualTo(2);
        assertThat(ids.indexOf(3)).isEqualTo(-1);
        assertThat(ids.contains(0)).isTrue();
        assertThat(ids).isEqualTo(ClassIds.of(12, 0, 15)).hasSameHashCodeAs(ClassIds.of(12, 0, 15))
                .isNotEqualTo(ClassIds.of(0, 12, 15));
        assertThat(ids).hasToString("[12, 0, 15]");
        assertThat(ClassIds.channelIndices(3)).isEqualTo(ClassIds.of(0, 1, 2));
    }

    @Test
    void everyRuleHasOneMessageNamingTheValue() {
        assertThatThrownBy(() -> ClassIds.of((int[]) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("classIds");
        assertThatThrownBy(() -> ClassIds.of()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("classIds must hold at least one class id, found none");
        assertThatThrownBy(() -> ClassIds.of(3, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Class ids must be >= 0, found -1 in [3, -1]");
        assertThatThrownBy(() -> ClassIds.of(3, 1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Class id 3 appears twice in [3, 1, 3]");
        assertThatThrownBy(() -> ClassIds.of(1, 2).requireSize(3, "label")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected one class id per label (3), found 2: [1, 2]");
        assertThatThrownBy(() -> ClassIds.of(1, 21).requireWithin(1, 20, "(20 classes)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Class id 21 is outside 1..20 (20 classes)");
        assertThatThrownBy(() -> ClassIds.channelIndices(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count must be >= 1, found 0");
        assertThat(ClassIds.of(1, 20).requireWithin(1, 20, "").requireSize(2, "label")).isEqualTo(ClassIds.of(1, 20));
    }

    /** The four places that took class ids check them through ClassIds: the same message from each. */
    @Test
    void classMapsAndUnaryReportBadIdsAlike() {
        org.nd4j.linalg.api.ndarray.INDArray maps = org.nd4j.linalg.factory.Nd4j.zeros(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 1, 1);
        String expected = "Class id 4 appears twice in [4, 4]";
        assertThatThrownBy(() -> ClassMaps.of(new int[] {4, 4}, maps)).hasMessage(expected);
        assertThatThrownBy(() -> Unary.argmax(maps, new int[] {4, 4})).hasMessage(expected);
        assertThatThrownBy(() -> MultiScaleAggregator.paper().start(new int[] {4, 4}, 1, 1))
                .hasMessage(expected);
        assertThat(ClassMaps.of(new int[] {5, 2}, maps).ids()).isEqualTo(ClassIds.of(5, 2));
    }
}
