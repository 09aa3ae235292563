package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelMapTest {

    @Test
    void foregroundIdsAreTheClassesPresentWithoutBackgroundAndVoid() {
        LabelMap mask = LabelMap.of(3, 2, new int[] {3, 0, LabelMap.VOID, 1, 1, 0});
        assertThat(mask.distinctIds()).containsExactly(0, 1, 3, LabelMap.VOID);
        assertThat(mask.foregroundIds()).containsExactly(1, 3);
        assertThat(LabelMap.filled(2, 2, ClassList.BACKGROUND).foregroundIds()).isEmpty();
        assertThat(LabelMap.filled(2, 2, LabelMap.VOID).foregroundIds()).isEmpty();
    }
}
