package org.dcsm.examples.cli;

import java.util.Locale;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.saliency.DerivativePoint;
import org.dcsm.backprop.saliency.ScoreSeed;
import org.dcsm.core.ClassMapSubtractor;
import org.dcsm.core.UntrustedText;
import org.dcsm.core.pipeline.CandidateMapRule;
import org.dcsm.pipeline.MethodPreset;
import org.dcsm.pipeline.MethodSettings;
import org.dcsm.pipeline.DcsmPipelines;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** DCSM's settings on the command line (the paper's by default), including the ablation switches of Tables 2–5. */
final class MethodOptions {

    @Option(names = "--blocks", split = ",", paramLabel = "B", defaultValue = "3,4,5",
            description = "VGG blocks whose convolutions give the maps (default ${DEFAULT-VALUE}, the paper's best).")
    int[] blocks;

    @Option(names = "--plain-bp", description = "Plain instead of guided backprop (ablation).")
    boolean plain;

    @Option(names = "--min-candidates", paramLabel = "N", defaultValue = "3",
            description = "At least N candidate classes (default ${DEFAULT-VALUE}, the paper's; authors' code 4).")
    int minCandidates;

    @Option(names = "--threshold", paramLabel = "P", defaultValue = "0.5",
            description = "Candidates: classes with probability above P (default ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--scales", split = ",", paramLabel = "PX",
            description = "Input sizes (longest side, pixels) for DCSM's maps, the same for every image; default: 1, "
                    + "1.25 and 1.5 times each image's own longest side. The Simonyan baseline takes the image at "
                    + "its own size.")
    int[] scales;

    @Option(names = "--subtraction", paramLabel = "RULE", defaultValue = "paper",
            description = "Eq. 4: paper, authors (the released code's rule) or none (ablation); default ${DEFAULT-VALUE}.")
    String subtraction;

    @Option(names = "--derivative-point", paramLabel = "POINT", defaultValue = "pre-activation",
            description = "Where DCSM reads the derivative of Eq. 3 at each layer: pre-activation (the layer's input "
                    + "to its ReLU, as the authors' Caffe code; default, chosen by measurement, docs/RESULTS.md) or "
                    + "layer-output (after the ReLU).")
    String derivativePoint;

    @Option(names = "--baseline-seed", paramLabel = "SEED", defaultValue = "pooled",
            description = "What the Simonyan baseline differentiates: pooled (the image-level class score, Eq. 2; "
                    + "Simonyan et al.'s definition, default) or score-map (the sum of the class score map, the weak "
                    + "variant used before; ablation).")
    String baselineSeed;

    @Option(names = "--candidate-maps", paramLabel = "RULE", defaultValue = "paper",
            description = "Which candidates make Eq. 7's background and the CRF's labels: paper (Eq. 7 as printed, "
                    + "every candidate; default), probability (beyond the paper: each fused map times its class "
                    + "probability before Eq. 7; measured in docs/RESULTS.md), "
                    + "confident[:P] (beyond the paper: only candidates with probability above P, default "
                    + "--threshold, at least the most probable) or confident-probability[:P] (both). Applies to DCSM "
                    + "and the baseline.")
    String candidateMaps;

    /**
     * Checks these options' values before any work (exit 2 for a bad one): the threshold, the minimum
     * candidates, the blocks, the scales and the names of the rules.
     */
    void check(CommandLine cl) {
        OptionCheck.require(cl, () -> {
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("--threshold must be between 0 and 1, found " + threshold);
            }
            if (minCandidates < 0) {
                throw new IllegalArgumentException("--min-candidates must be >= 0, found " + minCandidates);
            }
            for (int b : blocks) {
                if (b < 1) {
                    throw new IllegalArgumentException("--blocks must be >= 1, found " + b);
                }
            }
            if (scales != null) {
                for (int i = 0; i < scales.length; i++) {
                    if (scales[i] < 1) {
                        throw new IllegalArgumentException("--scales must be >= 1 pixel, found " + scales[i]);
                    }
                    for (int j = 0; j < i; j++) {
                        if (scales[i] == scales[j]) {
                            throw new IllegalArgumentException("--scales lists " + scales[i] + " twice");
                        }
                    }
                }
            }
            settings(MethodPreset.DCSM_DEFAULT, 1); // also parses --candidate-maps
            seed(baselineSeed);
        });
    }

    /** Checks {@code --blocks} against the model's blocks (exit 2 for a block it does not have). */
    void checkBlocks(CommandLine cl, FcnModel model) {
        OptionCheck.require(cl, () -> DcsmPipelines.layersOfBlocks(model, blocks));
    }

    /** DCSM's settings with {@code preset}'s alpha and CRF. */
    MethodSettings settings(MethodPreset preset, int threads) {
        boolean fixed = scales != null && scales.length > 0;
        return new MethodSettings(blocks, !plain, threshold, minCandidates, fixed ? scales : new int[0],
                rule(subtraction), preset.crf(), threads, point(derivativePoint), ScoreSeed.SCORE_MAP, preset.alpha(),
                fixed ? new double[0] : MethodSettings.defaultScaleFactors(),
                candidateMapRule(candidateMaps, threshold));
    }

    /** The Simonyan baseline's settings next to DCSM's {@code dcsm}, with {@code preset}'s alpha and CRF. */
    MethodSettings baseline(MethodSettings dcsm, MethodPreset preset) {
        return dcsm.baseline(preset).withSeed(seed(baselineSeed));
    }

    static DerivativePoint point(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "pre-activation", "pre_activation" -> DerivativePoint.PRE_ACTIVATION;
            case "layer-output", "layer_output" -> DerivativePoint.LAYER_OUTPUT;
            default -> throw new IllegalArgumentException("Unknown --derivative-point '" + name
                    + "'; known: pre-activation, layer-output");
        };
    }

    static ScoreSeed seed(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "pooled", "global-max" -> ScoreSeed.GLOBAL_MAX;
            case "score-map" -> ScoreSeed.SCORE_MAP;
            default -> throw new IllegalArgumentException("Unknown --baseline-seed '" + name + "'; known: pooled, score-map");
        };
    }

    /**
     * The rule named {@code paper}, {@code probability}, {@code confident[:P]} or {@code confident-probability[:P]}
     * ({@code P} defaults to {@code threshold}).
     *
     * @throws IllegalArgumentException naming the option and the known rules
     */
    static CandidateMapRule candidateMapRule(String name, double threshold) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (String confident : new String[] {"confident-probability", "confident"}) {
            if (n.equals(confident) || n.startsWith(confident + ":")) {
                double p = threshold;
                if (!n.equals(confident)) {
                    String given = n.substring(confident.length() + 1);
                    try {
                        p = Double.parseDouble(given);
                    } catch (NumberFormatException e) {
                        p = Double.NaN;
                    }
                    if (!(p >= 0 && p <= 1)) {
                        throw new IllegalArgumentException("--candidate-maps " + confident + ":P needs P in [0, 1], "
                                + "found '" + UntrustedText.printable(given) + "'");
                    }
                }
                return confident.equals("confident") ? CandidateMapRule.confidentOnly(p)
                        : CandidateMapRule.confidentWeighted(p);
            }
        }
        return switch (n) {
            case "paper" -> CandidateMapRule.paper();
            case "probability", "probability-weighted" -> CandidateMapRule.probabilityWeighted();
            default -> throw new IllegalArgumentException("Unknown --candidate-maps '" + UntrustedText.printable(name)
                    + "'; known: paper, probability, confident[:P], confident-probability[:P]");
        };
    }

    static ClassMapSubtractor.Rule rule(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "paper" -> ClassMapSubtractor.Rule.PAPER;
            case "authors", "authors-code" -> ClassMapSubtractor.Rule.AUTHORS_CODE;
            case "none" -> ClassMapSubtractor.Rule.NONE;
            default -> throw new IllegalArgumentException("Unknown --subtraction '" + name + "'; known: paper, authors, none");
        };
    }
}
