package org.dcsm.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class CrfGridSearchTest {

    /** A refiner labelling class 1 where its map exceeds {@code threshold}, background elsewhere. */
    private static Refiner thresholdRefiner(double threshold) {
        return (image, p) -> {
            float[] v = p.single().data().asFloat();
            int plane = v.length / 2;
            int[] ids = new int[plane];
            for (int i = 0; i < plane; i++) {
                ids[i] = v[plane + i] > threshold ? 1 : 0;
            }
            return new Refinement(p, LabelMap.of(plane, 1, ids));
        };
    }

    @Test
    void ranksGridPointsByMeanIou() {
        // 1×4 image: class-1 map [0.9, 0.6, 0.4, 0.1]; ground truth [1, 1, 0, 0]
        ClassMaps p = ClassMaps.of(new int[] {0, 1},
                Nd4j.create(new float[] {0.1f, 0.4f, 0.6f, 0.9f, 0.9f, 0.6f, 0.4f, 0.1f}, new long[] {2, 1, 4}, 'c'));
        var sample = new CrfGridSearch.Sample("a", Nd4j.zeros(3, 1, 4), p, LabelMap.of(4, 1, new int[] {1, 1, 0, 0}));
        CrfGridSearch<Double> search = CrfGridSearch.of(ClassList.of("background", "thing"),
                CrfGridSearchTest::thresholdRefiner, List.of(0.8, 0.5, 0.05));
        BatchRunnerTest.Recorder rec = new BatchRunnerTest.Recorder();
        List<CrfGridSearch.Score<Double>> ranked = search.search(List.of(sample), rec);
        // 0.5 is exact (mIoU 1); 0.8 labels [1,0,0,0]: IoU bg 2/3, thing 1/2 -> 7/12;
        // 0.05 labels all 1: IoU bg 0, thing 2/4 -> 1/4
        assertThat(ranked).extracting(CrfGridSearch.Score::params).containsExactly(0.5, 0.8, 0.05);
        assertThat(ranked.get(0).meanIou()).isCloseTo(1.0, within(1e-12));
        assertThat(ranked.get(1).meanIou()).isCloseTo(7.0 / 12, within(1e-12));
        assertThat(ranked.get(2).meanIou()).isCloseTo(0.25, within(1e-12));
        assertThat(rec.events).containsExactly("start 3", "ok 0.8", "ok 0.5", "ok 0.05", "end 3/3");
    }

    @Test
    void rejectsEmptyGridsAndSamples() {
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> CrfGridSearch.of(ClassList.voc(), CrfGridSearchTest::thresholdRefiner, List.of())))
                .hasMessage("The grid must hold at least one parameter set, found none");
        var search = CrfGridSearch.of(ClassList.voc(), CrfGridSearchTest::thresholdRefiner, List.of(0.5));
        assertThat(assertThrows(IllegalArgumentException.class, () -> search.search(List.of(), ProgressListener.none())))
                .hasMessageContaining("at least one validation sample");
        ClassMaps p = ClassMaps.of(new int[] {0, 1}, Nd4j.zeros(2, 1, 4));
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> new CrfGridSearch.Sample("b", Nd4j.zeros(3, 1, 4), p, LabelMap.filled(2, 2, 0))))
                .hasMessage("Sample 'b': maps are 4x1 but the ground truth is 2x2");
    }
}
