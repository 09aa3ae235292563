package org.dcsm.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodPreset;
import org.dcsm.pipeline.MethodSettings;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code dcsm evaluate} and {@code spark-evaluate} share: the split, the model, the method(s), and the header
 * that says which settings (and which preset file) each method runs with.
 */
final class EvaluationOptions {

    @Option(names = "--split", defaultValue = "val", description = "Split to evaluate (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "A model saved by dcsm train.")
    Path model;

    @Option(names = "--method", defaultValue = "dcsm", paramLabel = "dcsm|dcsm-nocrf|simonyan",
            description = "Method to score (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--compare", description = "Score all three methods (the method given by --method gives the final mIoU line).")
    boolean compare;

    /** The method of the final mIoU line (exit 2 for an unknown name). */
    Method chosen(CommandLine cl) {
        return OptionCheck.value(cl, () -> Method.parse(method));
    }

    /** The methods scored. */
    EnumSet<Method> methods(Method chosen) {
        return compare ? EnumSet.allOf(Method.class) : EnumSet.of(chosen);
    }

    /** DCSM's preset from the model folder (or the built-in one). */
    MethodPreset dcsmPreset() throws java.io.IOException {
        return MethodPreset.loadOrDefault(model, Method.DCSM);
    }

    /** The baseline's preset from the model folder (or the built-in one). */
    MethodPreset baselinePreset() throws java.io.IOException {
        return MethodPreset.loadOrDefault(model, Method.SIMONYAN);
    }

    /**
     * Prints each scored method's settings with where its alpha and CRF come from, and a warning when a preset was
     * tuned on the split evaluated.
     */
    void printSettings(PrintWriter o, EnumSet<Method> methods, MethodSettings settings, MethodSettings baseline)
            throws java.io.IOException {
        if (methods.contains(Method.DCSM) || methods.contains(Method.DCSM_NOCRF)) {
            o.println("Settings: " + settings + presetSource(dcsmPreset(), Method.DCSM));
            warnIfTunedHere(o, dcsmPreset(), "DCSM");
        }
        if (methods.contains(Method.SIMONYAN)) {
            o.println("Baseline: " + baseline.baselineDescription() + presetSource(baselinePreset(), Method.SIMONYAN));
            warnIfTunedHere(o, baselinePreset(), "the baseline");
        }
    }

    private String presetSource(MethodPreset p, Method m) {
        if (p.tunedSplit().isPresent()) {
            return " (alpha and CRF tuned on '" + p.tunedSplit().get() + "')";
        }
        Path file = model.resolve(MethodPreset.fileOf(m));
        return Files.exists(file) ? " (alpha and CRF from " + file + ", split not recorded)" : " (built-in alpha and CRF)";
    }

    private void warnIfTunedHere(PrintWriter o, MethodPreset p, String who) {
        if (p.tunedSplit().filter(split::equals).isPresent()) {
            o.println("WARNING: " + who + "'s alpha and CRF were tuned on '" + split + "', the split evaluated here: "
                    + "its figures are optimistic; tune on another split (e.g. train)");
        }
    }
}
