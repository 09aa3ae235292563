package org.dcsm.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dcsm.core.pipeline.CandidateMapRule;
import org.dcsm.pipeline.MethodPreset;
import org.dcsm.pipeline.MethodSettings;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class MethodOptionsTest {

    @Test
    void candidateMapRulesByName() {
        assertThat(MethodOptions.candidateMapRule("paper", 0.5)).isEqualTo(CandidateMapRule.paper());
        assertThat(MethodOptions.candidateMapRule(" Probability ", 0.5)).isEqualTo(CandidateMapRule.probabilityWeighted());
        assertThat(MethodOptions.candidateMapRule("probability-weighted", 0.5))
                .isEqualTo(CandidateMapRule.probabilityWeighted());
        // confident without P: the candidate threshold, so only the topped-up candidates are dropped
        assertThat(MethodOptions.candidateMapRule("confident", 0.7)).isEqualTo(CandidateMapRule.confidentOnly(0.7));
        assertThat(MethodOptions.candidateMapRule("confident:0.9", 0.5)).isEqualTo(CandidateMapRule.confidentOnly(0.9));
        assertThat(MethodOptions.candidateMapRule("confident-probability", 0.6))
                .isEqualTo(CandidateMapRule.confidentWeighted(0.6));
        assertThat(MethodOptions.candidateMapRule("confident-probability:0.8", 0.5))
                .isEqualTo(CandidateMapRule.confidentWeighted(0.8)).isNotEqualTo(CandidateMapRule.confidentOnly(0.8));
    }

    @Test
    void theCommandLineDefaultIsEq7AsPrintedAndTheRemediesAreOptions() {
        MethodOptions defaults = CommandLine.populateCommand(new MethodOptions());
        assertThat(defaults.settings(MethodPreset.DCSM_DEFAULT, 1).candidateMaps())
                .isEqualTo(MethodSettings.DEFAULT_CANDIDATE_MAPS).isEqualTo(CandidateMapRule.paper());
        MethodOptions probability = CommandLine.populateCommand(new MethodOptions(), "--candidate-maps", "probability");
        assertThat(probability.settings(MethodPreset.DCSM_DEFAULT, 1).candidateMaps())
                .isEqualTo(CandidateMapRule.probabilityWeighted());
        MethodOptions confident = CommandLine.populateCommand(new MethodOptions(), "--candidate-maps", "confident",
                "--threshold", "0.6");
        assertThat(confident.settings(MethodPreset.DCSM_DEFAULT, 1).candidateMaps())
                .isEqualTo(CandidateMapRule.confidentOnly(0.6));
    }

    @Test
    void badCandidateMapRulesNameTheOptionAndTheValue() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> MethodOptions.candidateMapRule("weights", 0.5)))
                .hasMessage("Unknown --candidate-maps 'weights'; known: paper, probability, confident[:P], "
                        + "confident-probability[:P]");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MethodOptions.candidateMapRule("confident:high", 0.5)))
                .hasMessage("--candidate-maps confident:P needs P in [0, 1], found 'high'");
        assertThat(assertThrows(IllegalArgumentException.class, () -> MethodOptions.candidateMapRule("confident:2", 0.5)))
                .hasMessage("--candidate-maps confident:P needs P in [0, 1], found '2'");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MethodOptions.candidateMapRule("confident-probability:-1", 0.5)))
                .hasMessage("--candidate-maps confident-probability:P needs P in [0, 1], found '-1'");
    }
}
