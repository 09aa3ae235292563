package org.dcsm.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class UnaryEnergiesTest {

    @Test
    void fromProbabilitiesIsMinusLogWithClamp() {
        INDArray p = Nd4j.create(new float[] {0.5f, 0f, 1f, 0.25f}, new long[] {2, 1, 2}, 'c');
        float[] u = UnaryEnergies.fromProbabilities(p, 1e-3, new int[] {0, 1}).energies().data().asFloat();
        assertThat(u[0]).isCloseTo(0.693147f, within(1e-6f));   // -log 0.5
        assertThat(u[1]).isCloseTo(6.907755f, within(1e-5f));   // -log 1e-3 (clamped 0)
        assertThat(u[2]).isCloseTo(0f, within(1e-7f));          // -log 1
        assertThat(u[3]).isCloseTo(1.386294f, within(1e-6f));   // -log 0.25
    }

    @Test
    void fromLabelsFollowsPydensecrf() {
        LabelMap labels = LabelMap.of(3, 1, new int[] {0, 7, LabelMap.VOID});
        UnaryEnergies u = UnaryEnergies.fromLabels(labels, new int[] {0, 7, 9}, 0.7);
        float[] e = u.energies().data().asFloat(); // [l][pixel]
        float sure = (float) -Math.log(0.7);
        float other = (float) -Math.log(0.15);
        float unsure = (float) Math.log(3);
        assertThat(e).containsExactly(sure, other, unsure, other, sure, unsure, other, other, unsure);
        assertThat(u.classIds()).containsExactly(0, 7, 9);
        assertThat(u.argmin().toArray()).containsExactly(0, 7, 0);
    }

    @Test
    void fromClassMapsAddsTheBackgroundOfEq7() {
        // two classes (ids 3 and 5) on a 2×1 image: maps (0.6, 0.1) and (0.2, 0.0)
        INDArray maps = Nd4j.create(new float[] {0.6f, 0.1f, 0.2f, 0f}, new long[] {2, 1, 2}, 'c');
        UnaryEnergies u = UnaryEnergies.fromClassMaps(ClassMaps.of(new int[] {3, 5}, maps), 1e-4);
        assertThat(u.classIds()).containsExactly(0, 3, 5);
        float[] e = u.energies().data().asFloat();
        // background = 1 - max = (0.4, 0.9)
        assertThat(e[0]).isCloseTo((float) -Math.log(0.4), within(1e-6f));
        assertThat(e[1]).isCloseTo((float) -Math.log(0.9), within(1e-6f));
        assertThat(e[2]).isCloseTo((float) -Math.log(0.6), within(1e-6f));
        assertThat(e[3]).isCloseTo((float) -Math.log(0.1), within(1e-6f));
        assertThat(e[4]).isCloseTo((float) -Math.log(0.2), within(1e-6f));
        assertThat(e[5]).isCloseTo((float) -Math.log(1e-4), within(1e-5f));
        assertThat(u.argmin().toArray()).containsExactly(3, 0);
        // maps that already hold the background are used as they are
        INDArray withBg = Nd4j.create(new float[] {0.3f, 0.7f, 0.7f, 0.3f}, new long[] {2, 1, 2}, 'c');
        UnaryEnergies v = UnaryEnergies.fromClassMaps(ClassMaps.of(new int[] {0, 4}, withBg), 1e-4);
        assertThat(v.classIds()).containsExactly(0, 4);
        assertThat(v.argmin().toArray()).containsExactly(4, 0);
    }

    @Test
    void classMapsOverloadLabelsWithClassIds() {
        // a 6×4 scene: class 12 on the left half (map 0.9), nothing on the right; uniform image
        float[] maps = new float[24];
        for (int i = 0; i < 24; i++) {
            maps[i] = i % 6 < 3 ? 0.9f : 0.05f;
        }
        LabelMap out = DenseCrf.paper().infer(Nd4j.valueArrayOf(new long[] {3, 4, 6}, 90f),
                ClassMaps.of(new int[] {12}, Nd4j.create(maps, new long[] {1, 4, 6}, 'c')));
        assertThat(out.get(0, 0)).isEqualTo(12);
        assertThat(out.get(5, 3)).isEqualTo(0);
    }

    @Test
    void energiesRoundTripAndAreCopies() {
        INDArray raw = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 1, 3}, 'c');
        UnaryEnergies u = UnaryEnergies.ofChannelIndices(raw);
        raw.putScalar(0, 99);
        INDArray out = u.energies();
        assertThat(out.shape()).containsExactly(2, 1, 3);
        assertThat(out.data().asFloat()).containsExactly(1, 2, 3, 4, 5, 6);
        out.putScalar(0, 42);
        assertThat(u.energies().getFloat(0)).isEqualTo(1f);
        assertThat(u.argmin().toArray()).containsExactly(0, 0, 0);
    }

    @Test
    void tensorFactoriesNeedClassIdsOrSayTheyUseChannelIndices() {
        INDArray e = Nd4j.create(new float[] {1f, 2f, 2f, 1f}, new long[] {2, 1, 2}, 'c');
        assertThatThrownBy(() -> UnaryEnergies.of(e, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("classIds");
        assertThatThrownBy(() -> UnaryEnergies.fromProbabilities(e.div(2), 1e-5, null))
                .isInstanceOf(NullPointerException.class).hasMessage("classIds");
        assertThat(UnaryEnergies.ofChannelIndices(e).argmin().toArray()).containsExactly(0, 1);
        assertThat(UnaryEnergies.of(e, new int[] {12, 15}).argmin().toArray()).containsExactly(12, 15);
    }

    @Test
    void fromClassMapsIsDcsmCoresEq7AndUnaryBitForBit() {
        Nd4j.getRandom().setSeed(9);
        INDArray maps = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 5, 7).muli(0.99f);
        ClassMaps fused = ClassMaps.of(new int[] {12, 15}, maps);
        UnaryEnergies u = UnaryEnergies.fromClassMaps(fused, org.dcsm.core.Unary.DEFAULT_EPS);
        ClassMaps withBackground = fused.withBackground();
        assertThat(u.classIds()).containsExactly(0, 12, 15);
        assertThat(u.energies().data().asFloat()).containsExactly(withBackground.unary().data().asFloat());
        assertThat(u.argmin()).isEqualTo(org.dcsm.core.Unary.argminEnergy(withBackground.unary(), new int[] {0, 12, 15}));
    }
}
