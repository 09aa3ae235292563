package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BackgroundEstimatorTest {

    private static float[] flat(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    @Test
    void backgroundIsOneMinusMaxPrependedAsClassZero() {
        // M3 = [0.25, 0.5, 0], M7 = [0.75, 0.5, 0] -> max = [0.75, 0.5, 0] -> BG = [0.25, 0.5, 1]
        ClassMaps fused = ClassMaps.of(new int[] {3, 7},
                Nd4j.create(new float[] {0.25f, 0.5f, 0f, 0.75f, 0.5f, 0f}, new long[] {2, 1, 3}, 'c'));
        ClassMaps withBg = fused.withBackground();
        assertThat(withBg.classIds()).containsExactly(ClassList.BACKGROUND, 3, 7);
        assertThat(flat(withBg.single())).containsExactly(0.25f, 0.5f, 1f, 0.25f, 0.5f, 0f, 0.75f, 0.5f, 0f);
        assertThat(flat(fused.single())).containsExactly(0.25f, 0.5f, 0f, 0.75f, 0.5f, 0f);
    }

    @Test
    void appliesPerEntryAndOnArrays() {
        ClassMaps maps = ClassMaps.builder(new int[] {4})
                .add("a", 400, Nd4j.create(new float[] {0.25f}, new long[] {1, 1, 1}, 'c'))
                .add("b", 500, Nd4j.create(new float[] {1f, 0f}, new long[] {1, 1, 2}, 'c'))
                .build();
        ClassMaps withBg = BackgroundEstimator.withBackground(maps);
        assertThat(flat(withBg.entry("a", 400).orElseThrow().maps())).containsExactly(0.75f, 0.25f);
        assertThat(flat(withBg.entry("b", 500).orElseThrow().maps())).containsExactly(0f, 1f, 1f, 0f);
        INDArray arr = BackgroundEstimator.withBackground(Nd4j.create(new float[] {0.5f, 0.125f}, new long[] {2, 1, 1}, 'c'));
        assertThat(arr.shape()).containsExactly(3, 1, 1);
        assertThat(flat(arr)).containsExactly(0.5f, 0.5f, 0.125f);
    }

    @Test
    void rejectsBadInput() {
        ClassMaps hasBg = ClassMaps.of(new int[] {0, 2}, Nd4j.zeros(DataType.FLOAT, 2, 1, 1));
        assertThat(assertThrows(IllegalArgumentException.class, hasBg::withBackground))
                .hasMessage("Class maps [0, 2] already contain the background class id 0");
        ClassMaps tooBig = ClassMaps.builder(new int[] {2, 9})
                .add("conv5_3", 500, Nd4j.create(new float[] {0.5f, 0.5f, 0.5f, 1.5f}, new long[] {2, 1, 2}, 'c'))
                .build();
        assertThat(assertThrows(IllegalArgumentException.class, tooBig::withBackground))
                .hasMessageContaining("[0, 1]").hasMessageContaining("found 1.5 for class id 9 at (x=1, y=0)")
                .hasMessageContaining("layer 'conv5_3' at scale 500");
        INDArray negative = Nd4j.create(new float[] {-0.25f}, new long[] {1, 1, 1}, 'c');
        assertThat(assertThrows(IllegalArgumentException.class, () -> BackgroundEstimator.withBackground(negative)))
                .hasMessageContaining("found -0.25 for channel 0 at (x=0, y=0)");
        INDArray nan = Nd4j.create(new float[] {Float.NaN}, new long[] {1, 1, 1}, 'c');
        assertThat(assertThrows(IllegalArgumentException.class, () -> BackgroundEstimator.withBackground(nan)))
                .hasMessageContaining("found NaN");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> BackgroundEstimator.withBackground(Nd4j.zeros(DataType.FLOAT, 3, 3))))
                .hasMessageContaining("rank 3").hasMessageContaining("[3, 3]");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> BackgroundEstimator.background(new float[3], 2, 2, null)))
                .hasMessage("src must hold channels·plane = 2·2 values, found 3");
    }
}
