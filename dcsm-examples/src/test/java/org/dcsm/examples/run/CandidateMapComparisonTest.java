package org.dcsm.examples.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dcsm.pipeline.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.eval.SegmentationScores;
import org.dcsm.core.pipeline.Candidate;
import org.dcsm.core.pipeline.CandidateMapRule;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.dcsm.core.pipeline.Refinement;
import org.dcsm.core.pipeline.Refiner;
import org.dcsm.core.pipeline.Segmentation;
import org.dcsm.core.pipeline.SourceResult;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CandidateMapComparisonTest {

    private static final ClassList CLASSES = ClassList.of("background", "a", "b", "c");
    private static final INDArray IMAGE = Nd4j.zeros(3, 1, 2);
    /** Ground truth of the 1×2 image: class 1, then class 2. */
    private static final LabelMap TRUTH = LabelMap.of(2, 1, new int[] {1, 2});

    /**
     * A DCSM segmentation whose fused maps are M1 = [0.8, 0.2], M2 = [0.4, 0.6], M3 = [0.5, 0.9] with
     * probabilities 0.9, 0.6, 0.3 (no Eq. 4, an identity Eq. 5, so the numbers are checked by hand).
     */
    private static Segmentation segmentation() {
        INDArray maps = Nd4j.create(new float[] {0.8f, 0.2f, 0.4f, 0.6f, 0.5f, 0.9f}, new long[] {3, 1, 2}, 'c');
        SourceResult found = new SourceResult(new double[] {0.9, 0.6, 0.3},
                List.of(new Candidate(1, 0.9), new Candidate(2, 0.6), new Candidate(3, 0.3)),
                ClassMaps.of(new int[] {1, 2, 3}, maps));
        return DcsmPipeline.builder(img -> found, Refiner.argmax()).subtraction(m -> m).fusion((m, h, w) -> m)
                .build().segment(IMAGE);
    }

    private static Evaluator.Outcome outcome(Method method) {
        Segmentation s = segmentation();
        return new Evaluator.Outcome("im", IMAGE, TRUTH, Map.of(method, s), Map.of(method, s.labels()));
    }

    @Test
    void scoresEachRuleOnTheSameMapsWithAndWithoutTheRefiner() {
        Map<String, CandidateMapRule> rules = new LinkedHashMap<>();
        rules.put("paper", CandidateMapRule.paper());
        rules.put("probability", CandidateMapRule.probabilityWeighted());
        rules.put("confident", CandidateMapRule.confidentOnly(0.5));
        // a "CRF" that labels everything background, to tell the two rows of a rule apart
        Refiner background = (image, p) -> new Refinement(p, LabelMap.filled(2, 1, 0));
        CandidateMapComparison comparison = new CandidateMapComparison(CLASSES, rules, background);
        comparison.accept(outcome(Method.DCSM));
        Map<String, SegmentationScores> scores = comparison.scores();
        assertThat(scores.keySet()).containsExactly("paper, DCSM w/o CRF", "paper, DCSM + CRF",
                "probability, DCSM w/o CRF", "probability, DCSM + CRF", "confident, DCSM w/o CRF",
                "confident, DCSM + CRF");
        // paper: labels [1, 3] (the topped-up class 3 takes pixel 1); probability: [1, background];
        // confident: class 3 dropped, labels [1, 2], both right
        assertThat(scores.get("paper, DCSM w/o CRF").ious()).containsExactly(Double.NaN, 1.0, 0.0, 0.0);
        assertThat(scores.get("probability, DCSM w/o CRF").ious()).containsExactly(0.0, 1.0, 0.0, Double.NaN);
        assertThat(scores.get("confident, DCSM w/o CRF").ious()).containsExactly(Double.NaN, 1.0, 1.0, Double.NaN);
        assertThat(scores.get("confident, DCSM + CRF").ious()).containsExactly(0.0, 0.0, 0.0, Double.NaN);
    }

    @Test
    void usesDcsmWithoutCrfWhenOnlyThatRanAndRefusesOtherMethods() {
        CandidateMapComparison comparison = new CandidateMapComparison(CLASSES,
                Map.of("paper", CandidateMapRule.paper()), Refiner.argmax());
        comparison.accept(outcome(Method.DCSM_NOCRF));
        assertThat(comparison.scores().get("paper, DCSM + CRF").ious()).containsExactly(Double.NaN, 1.0, 0.0, 0.0);
        assertThat(assertThrows(IllegalStateException.class, () -> comparison.accept(outcome(Method.SIMONYAN))))
                .hasMessage("Comparing candidate-map rules needs DCSM among the evaluated methods, found [simonyan]");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> new CandidateMapComparison(CLASSES, Map.of(), Refiner.argmax())))
                .hasMessage("At least one candidate-map rule must be compared, found none");
    }
}
