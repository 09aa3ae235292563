package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withPrecision;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class UnaryTest {

    // -ln 0.5 = 0.69314718, -ln 0.25 = 1.3862944, -ln 0.75 = 0.28768207, -ln 1e-5 = 11.512925, -ln 0.1 = 2.3025851

    private static float[] flat(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    @Test
    void energiesAreNegativeLogWithFloor() {
        INDArray maps = Nd4j.create(new float[] {1f, 0.5f, 0.25f, 0f, 1e-6f}, new long[] {1, 1, 5}, 'c');
        INDArray e = Unary.defaults().energies(maps);
        assertThat(e.shape()).containsExactly(1, 1, 5);
        assertThat(flat(e)).containsExactly(new float[] {0f, 0.69314718f, 1.3862944f, 11.512925f, 11.512925f},
                withPrecision(1e-6f));
        assertThat(Float.floatToIntBits(flat(e)[0])).as("+0, not -0").isZero();
        assertThat(flat(Unary.withEps(0.1).energies(maps))).containsExactly(
                new float[] {0f, 0.69314718f, 1.3862944f, 2.3025851f, 2.3025851f}, withPrecision(1e-6f));
        assertThat(Unary.defaults().eps()).isEqualTo(1e-5);
    }

    @Test
    void argmaxGivesClassIdsWithTiesToLowerChannel() {
        // channel order ids [5, 2, 9]; four pixels:
        // ch0 [0.2, 0.5, 0.1, 0.3]; ch1 [0.7, 0.5, 0.1, 0.3]; ch2 [0.1, 0.4, 0.9, 0.3]
        // -> [ch1 = id 2, tie ch0/ch1 -> ch0 = id 5, ch2 = id 9, three-way tie -> ch0 = id 5]
        int[] ids = {5, 2, 9};
        INDArray maps = Nd4j.create(new float[] {0.2f, 0.5f, 0.1f, 0.3f, 0.7f, 0.5f, 0.1f, 0.3f, 0.1f, 0.4f, 0.9f, 0.3f},
                new long[] {3, 2, 2}, 'c');
        LabelMap byMaps = Unary.argmax(maps, ids);
        assertThat(byMaps.width()).isEqualTo(2);
        assertThat(byMaps.height()).isEqualTo(2);
        assertThat(byMaps.toArray()).containsExactly(2, 5, 9, 5);
        assertThat(Unary.argminEnergy(Unary.defaults().energies(maps), ids).toArray()).containsExactly(2, 5, 9, 5);
        assertThat(Unary.argmax(ClassMaps.of(ids, maps))).isEqualTo(byMaps);
    }

    @Test
    void mapsBelowEpsTieInEnergy() {
        INDArray maps = Nd4j.create(new float[] {1e-7f, 1e-6f}, new long[] {2, 1, 1}, 'c');
        int[] ids = {0, 1};
        assertThat(Unary.argmax(maps, ids).toArray()).containsExactly(1);
        assertThat(Unary.argminEnergy(Unary.defaults().energies(maps), ids).toArray()).containsExactly(0);
    }

    @Test
    void fusedToBackgroundToUnaryToLabels() {
        // class 3 fused map [0.75, 0.25] -> background [0.25, 0.75]
        // energies: bg [1.3862944, 0.28768207], class 3 [0.28768207, 1.3862944] -> labels [3, 0]
        ClassMaps fused = ClassMaps.of(new int[] {3}, Nd4j.create(new float[] {0.75f, 0.25f}, new long[] {1, 1, 2}, 'c'));
        ClassMaps withBg = fused.withBackground();
        INDArray unary = withBg.unary();
        assertThat(unary.shape()).containsExactly(2, 1, 2);
        assertThat(flat(unary)).containsExactly(new float[] {1.3862944f, 0.28768207f, 0.28768207f, 1.3862944f},
                withPrecision(1e-6f));
        assertThat(Unary.argminEnergy(unary, withBg.classIds()).toArray()).containsExactly(3, 0);
        assertThat(Unary.argmax(withBg).toArray()).containsExactly(3, 0);
    }

    @Test
    void channelIndicesToClassIds() {
        LabelMap labels = Unary.labelsFromChannels(new int[] {1, 0, 2, 1}, 2, 2, new int[] {0, 4, 9});
        assertThat(labels.toArray()).containsExactly(4, 0, 9, 4);
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> Unary.labelsFromChannels(new int[] {0, 3}, 2, 1, new int[] {0, 4, 9})))
                .hasMessage("Channel index 3 at pixel (1, 0) is outside 0..2 for class ids [0, 4, 9]");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> Unary.labelsFromChannels(new int[] {0, 1, 2}, 2, 2, new int[] {0, 4, 9})))
                .hasMessage("A 2x2 label map needs 4 channel indices, found 3");
    }

    @Test
    void rejectsBadInput() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> Unary.withEps(0)))
                .hasMessage("eps must be in (0, 1], found 0.0");
        assertThat(assertThrows(IllegalArgumentException.class, () -> Unary.withEps(Double.NaN)))
                .hasMessage("eps must be in (0, 1], found NaN");
        assertThat(assertThrows(IllegalArgumentException.class, () -> Unary.withEps(2)))
                .hasMessage("eps must be in (0, 1], found 2.0");
        ClassMaps two = ClassMaps.builder(new int[] {1})
                .add("a", 400, Nd4j.zeros(DataType.FLOAT, 1, 1, 1)).add("a", 500, Nd4j.zeros(DataType.FLOAT, 1, 1, 1))
                .build();
        assertThat(assertThrows(IllegalStateException.class, () -> Unary.defaults().energies(two)))
                .hasMessageContaining("Expected one fused map set, found 2");
        assertThat(assertThrows(IllegalStateException.class, () -> Unary.argmax(two)))
                .hasMessageContaining("MultiScaleAggregator");
        INDArray ok = Nd4j.zeros(DataType.FLOAT, 2, 1, 1);
        assertThat(assertThrows(IllegalArgumentException.class, () -> Unary.argmax(ok, new int[] {1, 2, 3})))
                .hasMessage("Expected one class id per channel of the array of shape [2, 1, 1] (2), found 3: [1, 2, 3]");
        assertThat(assertThrows(IllegalArgumentException.class, () -> Unary.argminEnergy(ok, new int[] {4, 4})))
                .hasMessageContaining("Class id 4 appears twice");
        INDArray nan = Nd4j.create(new float[] {0f, Float.NaN}, new long[] {2, 1, 1}, 'c');
        assertThat(assertThrows(IllegalArgumentException.class, () -> Unary.argminEnergy(nan, new int[] {0, 1})))
                .hasMessage("Non-finite value NaN in the energies at index [1, 0, 0]");
        assertThat(assertThrows(IllegalArgumentException.class, () -> Unary.defaults().energies(nan)))
                .hasMessageContaining("NaN in the maps");
        assertThat(assertThrows(IllegalArgumentException.class, () -> Unary.defaults().energies(Nd4j.zeros(DataType.FLOAT, 4))))
                .hasMessageContaining("rank 3");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> Unary.defaults().energies(new float[3], new float[2])))
                .hasMessage("dst must hold 3 values, found 2");
    }
}
