package org.dcsm.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.Unary;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class CandidateMapRuleTest {

    /**
     * Fused maps of candidates 1, 2, 3 on a 1×2 image: M1 = [0.8, 0.2], M2 = [0.4, 0.6], M3 = [0.5, 0.9], with
     * probabilities 0.9, 0.6 and 0.3 (the last one only topped up to reach three candidates).
     */
    private static final ClassMaps FUSED = ClassMaps.of(new int[] {1, 2, 3},
            Nd4j.create(new float[] {0.8f, 0.2f, 0.4f, 0.6f, 0.5f, 0.9f}, new long[] {3, 1, 2}, 'c'));
    private static final List<Candidate> CANDIDATES = List.of(new Candidate(1, 0.9), new Candidate(2, 0.6),
            new Candidate(3, 0.3));

    private static void assertMaps(ClassMaps maps, int[] ids, double... expected) {
        assertThat(maps.classIds()).containsExactly(ids);
        assertThat(maps.entries()).hasSize(1);
        float[] got = maps.single().data().asFloat();
        assertThat(got).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) got[i]).as("value %d", i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    @Test
    void paperIsEq7OverEveryCandidate() {
        ClassMaps out = CandidateMapRule.paper().apply(FUSED, CANDIDATES);
        // background = 1 - max = [1 - 0.8, 1 - 0.9]
        assertMaps(out, new int[] {0, 1, 2, 3}, 0.2, 0.1, 0.8, 0.2, 0.4, 0.6, 0.5, 0.9);
        assertThat(out.single()).isEqualTo(FUSED.withBackground().single());
        // the topped-up class 3 wins pixel 1, the background nowhere
        assertThat(Unary.argmax(out)).isEqualTo(LabelMap.of(2, 1, new int[] {1, 3}));
    }

    @Test
    void probabilityWeightedScalesEachMapByItsProbabilityBeforeEq7() {
        ClassMaps out = CandidateMapRule.probabilityWeighted().apply(FUSED, CANDIDATES);
        // 0.9·[0.8, 0.2] = [0.72, 0.18]; 0.6·[0.4, 0.6] = [0.24, 0.36]; 0.3·[0.5, 0.9] = [0.15, 0.27]
        // background = 1 - max = [1 - 0.72, 1 - 0.36]
        assertMaps(out, new int[] {0, 1, 2, 3}, 0.28, 0.64, 0.72, 0.18, 0.24, 0.36, 0.15, 0.27);
        assertThat(Unary.argmax(out)).isEqualTo(LabelMap.of(2, 1, new int[] {1, 0}));
    }

    @Test
    void confidentOnlyDropsTheDoubtfulCandidatesFromEq7AndTheLabels() {
        ClassMaps out = CandidateMapRule.confidentOnly(0.5).apply(FUSED, CANDIDATES);
        // class 3 (p 0.3) dropped: background = 1 - max(M1, M2) = [0.2, 0.4], maps unchanged
        assertMaps(out, new int[] {0, 1, 2}, 0.2, 0.4, 0.8, 0.2, 0.4, 0.6);
        assertThat(Unary.argmax(out)).isEqualTo(LabelMap.of(2, 1, new int[] {1, 2}));
        // strictly above: p = 0.6 is not above 0.6
        assertMaps(CandidateMapRule.confidentOnly(0.6).apply(FUSED, CANDIDATES), new int[] {0, 1}, 0.2, 0.8, 0.8, 0.2);
        // none above 0.95: the most probable one stays
        assertMaps(CandidateMapRule.confidentOnly(0.95).apply(FUSED, CANDIDATES), new int[] {0, 1}, 0.2, 0.8, 0.8, 0.2);
        // all above 0: the paper's maps
        assertThat(CandidateMapRule.confidentOnly(0).apply(FUSED, CANDIDATES).single())
                .isEqualTo(CandidateMapRule.paper().apply(FUSED, CANDIDATES).single());
    }

    @Test
    void confidentWeightedDropsTheDoubtfulCandidatesThenWeightsTheRest() {
        ClassMaps out = CandidateMapRule.confidentWeighted(0.5).apply(FUSED, CANDIDATES);
        // class 3 dropped; 0.9·M1 = [0.72, 0.18], 0.6·M2 = [0.24, 0.36]; background = [0.28, 0.64]
        assertMaps(out, new int[] {0, 1, 2}, 0.28, 0.64, 0.72, 0.18, 0.24, 0.36);
        // nothing dropped at 0: the probability-weighted maps
        assertThat(CandidateMapRule.confidentWeighted(0).apply(FUSED, CANDIDATES).single())
                .isEqualTo(CandidateMapRule.probabilityWeighted().apply(FUSED, CANDIDATES).single());
        assertThat(CandidateMapRule.confidentWeighted(0.5).toString())
                .startsWith("confident-probability:0.5 (beyond the paper").contains("times p_c");
    }

    @Test
    void confidentOnlyKeepsTheFirstOfTiedBestCandidatesAndTheirOrder() {
        List<Candidate> tied = List.of(new Candidate(1, 0.4), new Candidate(2, 0.7), new Candidate(3, 0.7));
        assertThat(CandidateMapRules.confidentChannels(tied, 0.9)).containsExactly(1);
        assertThat(CandidateMapRules.confidentChannels(tied, 0.5)).containsExactly(1, 2);
        assertMaps(CandidateMapRule.confidentOnly(0.5).apply(FUSED, tied), new int[] {0, 2, 3},
                0.5, 0.1, 0.4, 0.6, 0.5, 0.9);
    }

    @Test
    void rulesAreValuesThatSayWhatTheyDo() {
        assertThat(CandidateMapRule.confidentOnly(0.8)).isEqualTo(CandidateMapRule.confidentOnly(0.8))
                .isNotEqualTo(CandidateMapRule.confidentOnly(0.9));
        assertThat(CandidateMapRule.paper()).hasToString("paper (Eq. 7 over every candidate)");
        assertThat(CandidateMapRule.probabilityWeighted().toString()).contains("beyond the paper").contains("p_c*M^c");
        assertThat(CandidateMapRule.confidentOnly(0.8).toString()).startsWith("confident:0.8 (beyond the paper")
                .contains("p > 0.8");
    }

    @Test
    void rejectsBadSettingsAndMismatchedInput() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> CandidateMapRule.confidentOnly(1.5)))
                .hasMessage("minProbability must be in [0, 1], found 1.5");
        assertThat(assertThrows(IllegalArgumentException.class, () -> CandidateMapRule.confidentOnly(Double.NaN)))
                .hasMessage("minProbability must be in [0, 1], found NaN");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> CandidateMapRule.paper().apply(FUSED, CANDIDATES.subList(0, 2))))
                .hasMessageStartingWith("Fused maps have class ids [1, 2, 3] but the candidates are [Candidate[classId=1");
        ClassMaps twoEntries = ClassMaps.builder(new int[] {1}).add("a", 1, Nd4j.zeros(1, 1, 1))
                .add("b", 1, Nd4j.zeros(1, 1, 1)).build();
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> CandidateMapRule.probabilityWeighted().apply(twoEntries, List.of(new Candidate(1, 0.5)))))
                .hasMessageStartingWith("Candidate-map rules need one fused entry (after Eq. 5)");
        ClassMaps tooHigh = ClassMaps.of(new int[] {1}, Nd4j.valueArrayOf(new long[] {1, 1, 1}, 2f));
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> CandidateMapRule.probabilityWeighted().apply(tooHigh, List.of(new Candidate(1, 0.5)))))
                .hasMessage("Candidate-map rules need fused maps in [0, 1] (after Eq. 5), found 2.0");
    }
}
