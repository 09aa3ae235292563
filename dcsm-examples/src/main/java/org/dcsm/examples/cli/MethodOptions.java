package org.dcsm.examples.cli;

import java.util.Locale;

import org.dcsm.core.ClassMapSubtractor;
import org.dcsm.examples.run.CrfSettings;
import org.dcsm.examples.run.MethodSettings;

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
            description = "Input sizes (longest side, pixels) for DCSM's maps; default: 1, 1.25 and 1.5 times the "
                    + "first image's longest side. The Simonyan baseline takes the image at its own size.")
    int[] scales;

    @Option(names = "--subtraction", paramLabel = "RULE", defaultValue = "paper",
            description = "Eq. 4: paper, authors (the released code's rule) or none (ablation); default ${DEFAULT-VALUE}.")
    String subtraction;

    MethodSettings settings(CrfSettings crf, int threads, int firstImageSide) {
        int[] s = scales;
        if (s == null || s.length == 0) {
            s = new int[] {firstImageSide, firstImageSide * 5 / 4, firstImageSide * 3 / 2};
        }
        return new MethodSettings(blocks, !plain, threshold, minCandidates, s, rule(subtraction), crf, threads);
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
