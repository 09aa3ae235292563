package org.dcsm.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dcsm.backprop.saliency.DerivativePoint;
import org.dcsm.backprop.saliency.SaliencyExtractor;
import org.dcsm.backprop.saliency.ScoreSeed;
import org.dcsm.core.pipeline.CandidateMapRule;
import org.dcsm.crf.CrfSettings;
import org.dcsm.crf.KernelNormalization;
import org.junit.jupiter.api.Test;

class MethodSettingsTest {

    private static final CrfSettings MEAN = new CrfSettings(3, 60, 5, 1, 3, 10, KernelNormalization.MEAN);

    @Test
    void paperSettingsReadDerivativesAtTheLibraryDefaultWithAlphaThree() {
        MethodSettings s = MethodSettings.paper(new int[] {64}, 2);
        assertThat(s.point()).isEqualTo(SaliencyExtractor.DEFAULT_POINT).isEqualTo(DerivativePoint.PRE_ACTIVATION);
        assertThat(s.seed()).isEqualTo(ScoreSeed.SCORE_MAP);
        assertThat(s.alpha()).isEqualTo(3.0);
        assertThat(s.toString()).contains("derivative at PRE_ACTIVATION", "alpha 3.0");
    }

    @Test
    void baselineDifferentiatesThePooledScoreWithItsOwnAlphaAndCrf() {
        MethodSettings dcsm = MethodSettings.paper(new int[] {64, 80}, 2).withMinCandidates(2);
        MethodSettings b = dcsm.baseline(new MethodPreset(8, MEAN, "train"));
        assertThat(b.seed()).isEqualTo(ScoreSeed.GLOBAL_MAX);
        assertThat(b.guided()).isFalse();
        assertThat(b.alpha()).isEqualTo(8.0);
        assertThat(b.crf()).isEqualTo(MEAN);
        assertThat(b.minCandidates()).isEqualTo(2);
        assertThat(b.threads()).isEqualTo(2);
        assertThat(b.baselineDescription()).isEqualTo("input gradient of the pooled class score (Eq. 2), plain BP, "
                + "image at its own size, candidates p > 0.5 (at least 2), candidate maps paper (Eq. 7 over every "
                + "candidate), alpha 8.0, CRF " + MEAN);
        assertThat(b.withSeed(ScoreSeed.SCORE_MAP).baselineDescription()).startsWith(
                "input gradient of the sum of the class score map");
        assertThat(dcsm.with(MethodPreset.SIMONYAN_DEFAULT).alpha()).isEqualTo(5.0);
    }

    @Test
    void candidateMapRuleIsTheNamedPaperOneUnlessChosen() {
        MethodSettings paper = MethodSettings.paper(new int[] {64}, 1);
        assertThat(paper.candidateMaps()).isEqualTo(CandidateMapRule.paper());
        MethodSettings confident = paper.withCandidateMaps(CandidateMapRule.confidentOnly(0.8));
        assertThat(confident).isNotEqualTo(paper).isEqualTo(paper.withCandidateMaps(CandidateMapRule.confidentOnly(0.8)));
        assertThat(confident.hashCode()).isEqualTo(paper.withCandidateMaps(CandidateMapRule.confidentOnly(0.8)).hashCode());
        assertThat(confident.toString()).contains("candidate maps confident:0.8 (beyond the paper");
        assertThat(paper.toString()).contains("candidate maps paper (Eq. 7 over every candidate)");
        // the baseline takes the same rule, as it takes the same candidates
        assertThat(confident.baseline(MethodPreset.SIMONYAN_DEFAULT).candidateMaps())
                .isEqualTo(CandidateMapRule.confidentOnly(0.8));
        assertThat(confident.withAlpha(5).withMinCandidates(1).candidateMaps()).isEqualTo(confident.candidateMaps());
        // the command line's and the demo's settings: the paper's, Eq. 7 as printed (the remedies are options)
        assertThat(MethodSettings.defaults(new int[] {64}, 1)).isEqualTo(paper);
    }

    @Test
    void badAlphaIsRejectedWithItsValue() {
        MethodSettings s = MethodSettings.paper(new int[] {64}, 1);
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.withAlpha(Double.POSITIVE_INFINITY)))
                .hasMessage("alpha must be > 0 and finite, found Infinity");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new MethodPreset(-2, MEAN, null)))
                .hasMessage("alpha must be > 0 and finite, found -2.0");
    }

    @Test
    void scaleFactorsAndFixedScalesExcludeEachOther() {
        MethodSettings s = MethodSettings.paper(new int[] {64}, 1)
                .withScaleFactors(MethodSettings.defaultScaleFactors());
        assertThat(s.scales()).isEmpty();
        assertThat(s.scaleFactors()).containsExactly(1, 1.25, 1.5);
        assertThat(s.toString()).contains("scales [1.0, 1.25, 1.5] × each image's longest side");
        assertThat(s.withScales(50).scaleFactors()).isEmpty();
        assertThat(s.withScales(50).scales()).containsExactly(50);
        assertThat(s.baseline(MethodPreset.SIMONYAN_DEFAULT).scaleFactors()).isEmpty();
        assertThat(s).isNotEqualTo(s.withScales(50)).isEqualTo(s.withScaleFactors(1, 1.25, 1.5));
        assertThat(assertThrows(IllegalArgumentException.class, () -> new MethodSettings(new int[] {3}, true, 0.5, 3,
                new int[] {64}, s.subtraction(), s.crf(), 1, s.point(), s.seed(), 3, new double[] {1},
                s.candidateMaps())))
                .hasMessage("Set scales (fixed sizes) or scaleFactors (of each image's size), not both; found [64] "
                        + "and [1.0]");
    }

    @Test
    void settingsAreCheckedByTheLibrarysOwnRulesBeforeAnyModelIsLoaded() {
        MethodSettings s = MethodSettings.paper(1);
        assertThat(s.scaleFactors()).containsExactly(MethodSettings.paperScaleFactors());
        assertThat(s.scales()).isEmpty();
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.withMinCandidates(-1)))
                .hasMessage("minCandidates must be >= 0, found -1");
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.withScales(64, 64)))
                .hasMessage("scales must be distinct, found 64 twice in [64, 64]");
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.withScaleFactors(0)))
                .hasMessage("scaleFactors must be in (0, 16.0], found 0.0");
        assertThat(assertThrows(IllegalArgumentException.class, () -> MethodSettings.paper(0)))
                .hasMessage("threads must be >= 1, found 0");
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.withBlocks()))
                .hasMessage("blocks must name at least one block, found none");
    }
}
