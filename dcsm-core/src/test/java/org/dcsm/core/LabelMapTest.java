package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelMapTest {

    @Test
    void sizesWhoseProductOverflowsAreRefused() {
        // 65536 x 65536 = 2^32 wraps to 0 in int arithmetic: an empty array must not pass for it
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LabelMap.of(65536, 65536, new int[0]));
        assertThat(e).hasMessage("A 65536x65536 label map needs 4294967296 labels, found 0");
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LabelMap.filled(65536, 65536, 0))).hasMessageContaining("at most 2^31 pixels");
    }

    @Test
    void foregroundIdsAreTheClassesPresentWithoutBackgroundAndVoid() {
        LabelMap mask = LabelMap.of(3, 2, new int[] {3, 0, LabelMap.VOID, 1, 1, 0});
        assertThat(mask.distinctIds()).containsExactly(0, 1, 3, LabelMap.VOID);
        assertThat(mask.foregroundIds()).containsExactly(1, 3);
        assertThat(LabelMap.filled(2, 2, ClassList.BACKGROUND).foregroundIds()).isEmpty();
        assertThat(LabelMap.filled(2, 2, LabelMap.VOID).foregroundIds()).isEmpty();
    }
}
