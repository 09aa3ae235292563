package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Eq. 4 → Eq. 5 → Eq. 7 → unary → argmax on a synthetic two-object scene, the way the pipeline
 * chains them: raw maps of two layers at two scales (different sizes), where each class's raw map
 * also responds to the other object, as Simonyan-style maps do (paper Fig. 1).
 */
class PipelineMathsTest {

    private static final int CLASS_A = 3;
    private static final int CLASS_B = 11;

    /** 2×n×n raw maps: object A a square at the top left, object B at the bottom right. */
    private static INDArray raw(int n, float aOnA, float aOnB, float bOnA, float bOnB) {
        float[] v = new float[2 * n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                boolean inA = x < n / 2 && y < n / 2;
                boolean inB = x >= n / 2 && y >= n / 2;
                v[y * n + x] = inA ? aOnA : inB ? aOnB : 0.05f;
                v[n * n + y * n + x] = inA ? bOnA : inB ? bOnB : 0.05f;
            }
        }
        return Nd4j.create(v, new long[] {2, n, n}, 'c');
    }

    private static ClassMaps rawScene() {
        return ClassMaps.builder(new int[] {CLASS_A, CLASS_B})
                .add("conv4_3", 400, raw(8, 1.0f, 0.6f, 0.5f, 0.9f))
                .add("conv5_3", 400, raw(8, 0.8f, 0.7f, 0.3f, 1.0f))
                .add("conv4_3", 600, raw(16, 1.0f, 0.6f, 0.5f, 0.9f))
                .add("conv5_3", 600, raw(16, 0.8f, 0.7f, 0.3f, 1.0f))
                .build();
    }

    @Test
    void subtractionMakesMapsDistinctAndLabelsFollowObjects() {
        MultiScaleAggregator aggregator = MultiScaleAggregator.paper();
        ClassMaps fused = aggregator.aggregate(ClassMapSubtractor.paper().subtract(rawScene()), 16, 16);
        ClassMaps fusedRaw = aggregator.aggregate(ClassMapSubtractor.none().subtract(rawScene()), 16, 16);
        INDArray distinct = fused.single();
        INDArray plain = fusedRaw.single();
        // inside object B (pixel 12,12), class A's map: every positive difference is 0 after Eq. 4
        assertThat(distinct.getFloat(0, 12, 12)).isZero();
        // without Eq. 4 it is tanh(3·0.6/1.0) and tanh(3·0.7/0.8) averaged: (0.94680601 + 0.98955975) / 2
        assertThat(plain.getFloat(0, 12, 12)).isCloseTo(0.96818288f, org.assertj.core.data.Offset.offset(1e-6f));

        ClassMaps withBg = fused.withBackground();
        LabelMap byUnary = Unary.argminEnergy(withBg.unary(), withBg.classIds());
        LabelMap byMaps = Unary.argmax(withBg);
        assertThat(byUnary.get(2, 2)).isEqualTo(CLASS_A);
        assertThat(byUnary.get(13, 13)).isEqualTo(CLASS_B);
        assertThat(byUnary.get(13, 2)).isEqualTo(ClassList.BACKGROUND);
        assertThat(byUnary.get(2, 13)).isEqualTo(ClassList.BACKGROUND);
        assertThat(byMaps.agreement(byUnary)).isEqualTo(1.0);
        // the 8x8 entries are resized to 16x16, so only the object cores are certain; the quadrants dominate
        assertThat(byUnary.count(CLASS_A)).isBetween(49L, 81L);
        assertThat(byUnary.count(CLASS_B)).isBetween(49L, 81L);
    }
}
