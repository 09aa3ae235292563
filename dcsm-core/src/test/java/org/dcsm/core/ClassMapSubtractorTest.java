package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withPrecision;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ClassMapSubtractorTest {

    // three candidates (ids 2, 5, 7) on a 1x2 image, values exact in binary:
    // M2 = [1, 0.25], M5 = [0.5, 0.75], M7 = [0.25, 0]
    private static final float[] THREE = {1f, 0.25f, 0.5f, 0.75f, 0.25f, 0f};
    private static final int[] IDS = {2, 5, 7};

    private static final float TANH_3 = 0.99505475f;
    private static final float TANH_1 = 0.76159416f;
    private static final float TANH_1_5 = 0.90514825f;
    private static final float TANH_0_5 = 0.46211716f;

    private static ClassMaps three() {
        return ClassMaps.of(IDS, Nd4j.create(THREE, new long[] {3, 1, 2}, 'c'));
    }

    private static float[] flat(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    @Test
    void paperRuleIsSumOfPositiveDifferences() {
        // M~2 = (1-0.5) + (1-0.25) = 1.25 | max(0.25-0.75,0) + (0.25-0) = 0.25
        // M~5 = max(0.5-1,0) + (0.5-0.25) = 0.25 | (0.75-0.25) + (0.75-0) = 1.25
        // M~7 = 0 + 0 = 0 | 0 + 0 = 0
        ClassMaps out = ClassMapSubtractor.paper().subtract(three());
        assertThat(out.classIds()).containsExactly(IDS);
        assertThat(flat(out.single())).containsExactly(1.25f, 0.25f, 0.25f, 1.25f, 0f, 0f);
    }

    @Test
    void authorsRuleNormalisesEachPairAndAppliesTanh() {
        // class 2: d(2,5) = [0.5, 0] / 0.5 = [1, 0] -> [tanh 3, 0]; d(2,7) = [0.75, 0.25] / 0.75 = [1, 1/3]
        //          -> [tanh 3, tanh 1]; sum = [2 tanh 3, tanh 1] = [1.9901095, 0.76159416]
        // class 5: d(5,2) = [0, 0.5] -> [0, tanh 3]; d(5,7) = [0.25, 0.75] / 0.75 -> [tanh 1, tanh 3]
        // class 7: both differences are 0 everywhere -> 0
        ClassMaps out = ClassMapSubtractor.authorsCode().subtract(three());
        assertThat(flat(out.single())).containsExactly(new float[] {
                2 * TANH_3, TANH_1, TANH_1, 2 * TANH_3, 0f, 0f}, withPrecision(1e-6f));
    }

    @Test
    void authorsRuleAlphaIsConfigurable() {
        // alpha = 1.5: class 2 -> [2 tanh 1.5, tanh 0.5] = [1.8102965, 0.46211716]
        ClassMapSubtractor s = ClassMapSubtractor.builder().rule(ClassMapSubtractor.Rule.AUTHORS_CODE).alpha(1.5).build();
        float[] out = flat(s.subtract(three()).single());
        assertThat(out[0]).isCloseTo(2 * TANH_1_5, withPrecision(1e-6f));
        assertThat(out[1]).isCloseTo(TANH_0_5, withPrecision(1e-6f));
        assertThat(s.alpha()).isEqualTo(1.5);
    }

    @Test
    void noneIsIdentityCopy() {
        ClassMaps in = three();
        ClassMaps out = ClassMapSubtractor.none().subtract(in);
        assertThat(flat(out.single())).containsExactly(THREE);
        assertThat(out).isNotSameAs(in);
    }

    @Test
    void singleCandidateKeepsRawMapByDefaultOrGivesLiteralZero() {
        ClassMaps one = ClassMaps.of(new int[] {4}, Nd4j.create(new float[] {0.3f, 0.7f}, new long[] {1, 1, 2}, 'c'));
        assertThat(flat(ClassMapSubtractor.paper().subtract(one).single())).containsExactly(0.3f, 0.7f);
        assertThat(flat(ClassMapSubtractor.authorsCode().subtract(one).single())).containsExactly(0.3f, 0.7f);
        for (ClassMapSubtractor.Rule rule : new ClassMapSubtractor.Rule[] {
                ClassMapSubtractor.Rule.PAPER, ClassMapSubtractor.Rule.AUTHORS_CODE}) {
            ClassMapSubtractor zero = ClassMapSubtractor.builder().rule(rule)
                    .singleCandidate(ClassMapSubtractor.SingleCandidate.ZERO).build();
            assertThat(flat(zero.subtract(one).single())).as("%s", rule).containsExactly(0f, 0f);
        }
    }

    @Test
    void appliesToEachEntrySeparatelyKeepingTags() {
        // entry a: 1x2 as above; entry b: 1x1 with M2 = 3, M5 = 1, M7 = 2
        // b: M~2 = (3-1) + (3-2) = 3, M~5 = 0 + 0 = 0, M~7 = 0 + (2-1) = 1
        ClassMaps maps = ClassMaps.builder(IDS)
                .add("conv5_3", 500, Nd4j.create(THREE, new long[] {3, 1, 2}, 'c'))
                .add("conv4_3", 400, Nd4j.create(new float[] {3, 1, 2}, new long[] {3, 1, 1}, 'c'))
                .build();
        ClassMaps out = ClassMapSubtractor.paper().subtract(maps);
        assertThat(out.entries()).hasSize(2);
        assertThat(flat(out.entry("conv5_3", 500).orElseThrow().maps())).containsExactly(1.25f, 0.25f, 0.25f, 1.25f, 0f, 0f);
        assertThat(flat(out.entry("conv4_3", 400).orElseThrow().maps())).containsExactly(3f, 0f, 1f);
    }

    @Test
    void flatAndArrayFormsAgreeAndInputIsUntouched() {
        INDArray in = Nd4j.create(THREE, new long[] {3, 1, 2}, 'c');
        INDArray out = ClassMapSubtractor.paper().subtract(in);
        assertThat(flat(in)).containsExactly(THREE);
        float[] dst = new float[6];
        assertThat(ClassMapSubtractor.paper().subtract(THREE, 3, 1, 2, dst)).isSameAs(dst).containsExactly(flat(out));
    }

    @Test
    void threadsGiveIdenticalResults() {
        Random rnd = new Random(11);
        float[] v = new float[5 * 37 * 23];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat();
        }
        INDArray in = Nd4j.create(v, new long[] {5, 37, 23}, 'c');
        for (ClassMapSubtractor.Rule rule : ClassMapSubtractor.Rule.values()) {
            ClassMapSubtractor one = ClassMapSubtractor.builder().rule(rule).build();
            ClassMapSubtractor three = one.toBuilder().threads(3).build();
            assertThat(flat(three.subtract(in))).as("%s", rule).containsExactly(flat(one.subtract(in)));
        }
    }

    @Test
    void rejectsBadSettingsAndInput() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> ClassMapSubtractor.builder().alpha(-1).build()))
                .hasMessage("alpha must be > 0 and finite, found -1.0");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> ClassMapSubtractor.builder().alpha(Double.NaN).build())).hasMessageContaining("found NaN");
        assertThat(assertThrows(IllegalArgumentException.class, () -> ClassMapSubtractor.builder().threads(0).build()))
                .hasMessage("threads must be >= 1, found 0");
        assertThat(assertThrows(NullPointerException.class, () -> ClassMapSubtractor.builder().rule(null).build()))
                .hasMessageContaining("rule");
        ClassMaps withBg = ClassMaps.of(new int[] {0, 3}, Nd4j.zeros(DataType.FLOAT, 2, 1, 1));
        assertThat(assertThrows(IllegalArgumentException.class, () -> ClassMapSubtractor.paper().subtract(withBg)))
                .hasMessageContaining("background id 0").hasMessageContaining("[0, 3]");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> ClassMapSubtractor.paper().subtract(Nd4j.zeros(DataType.FLOAT, 2, 3))))
                .hasMessageContaining("rank 3").hasMessageContaining("[2, 3]");
        INDArray nan = Nd4j.zeros(DataType.FLOAT, 2, 2, 2);
        nan.putScalar(new long[] {1, 1, 0}, Float.NaN);
        assertThat(assertThrows(IllegalArgumentException.class, () -> ClassMapSubtractor.paper().subtract(nan)))
                .hasMessageContaining("NaN").hasMessageContaining("[1, 1, 0]");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> ClassMapSubtractor.paper().subtract(new float[5], 3, 1, 2, null)))
                .hasMessage("src must hold 3·1·2 = 6 values, found 5");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> ClassMapSubtractor.paper().subtract(new float[6], 3, 1, 2, new float[4])))
                .hasMessage("dst must hold 6 values, found 4");
    }

    @Test
    void overflowIsReportedNotPassedOn() {
        float big = 3e38f;
        ClassMaps maps = ClassMaps.of(new int[] {1, 2, 3}, Nd4j.create(new float[] {big, -big, -big}, new long[] {3, 1, 1}, 'c'));
        assertThat(assertThrows(IllegalArgumentException.class, () -> ClassMapSubtractor.paper().subtract(maps)))
                .hasMessageContaining("Non-finite value Infinity in computed maps");
    }
}
