package org.dcsm.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.core.pipeline.CrfGridSearch;
import org.dcsm.core.voc.VocDataset;
import org.dcsm.core.voc.VocSample;
import org.dcsm.examples.run.CrfSettings;
import org.dcsm.examples.run.CrfTuning;
import org.dcsm.examples.run.EvalItem;
import org.dcsm.examples.run.MethodSettings;
import org.dcsm.examples.run.ModelFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dcsm tune-crf}: grid search of the CRF parameters on a split with masks. */
@Command(name = "tune-crf", mixinStandardHelpOptions = true,
        description = {"Grid search of the dense CRF's parameters (w1, theta_alpha, theta_beta, w2, theta_gamma; with "
                + "--full also the kernel normalisation) by mIoU on a split with masks, as the paper did on val. "
                + "Writes the best into MODEL_DIR/crf.properties, which evaluate and segment then use.",
                "Tuning reads the pixel labels of the split it tunes on: for honest figures tune on one split "
                        + "(e.g. train) and evaluate on another (val)."})
final class TuneCrfCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions dataset;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--split", required = true, description = "Split to tune on (with masks).")
    String split;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "A model saved by dcsm train.")
    Path model;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Use the first N images (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--full", description = "Also search the kernel normalisation (5x the grid).")
    boolean full;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be >= 1, found " + limit);
        }
        FcnModel fcn = ModelFiles.load(model);
        VocDataset voc = dataset.open();
        ModelFiles.requireSameClasses(fcn, voc);
        List<VocSample> samples = voc.samples(split);
        if (samples.size() > limit) {
            samples = samples.subList(0, limit);
        }
        if (samples.isEmpty()) {
            throw new IllegalStateException("Split '" + split + "' of " + voc.root() + " lists no image");
        }
        MethodSettings settings = methodOptions.settings(CrfSettings.paper(), common.threads(),
                ModelFiles.firstImageSide(samples));
        List<CrfSettings> grid = CrfTuning.grid(full);
        var o = spec.commandLine().getOut();
        o.printf("Tuning the CRF on %d images of %s/%s over %d parameter sets%n", samples.size(), voc.root(), split,
                grid.size());
        CrfTuning.Result r;
        try (ConsoleProgress maps = common.progress("maps"); ConsoleProgress search = common.progress("grid")) {
            r = CrfTuning.tune(fcn, settings, samples.stream().map(EvalItem::of).toList(), grid, maps, search);
        }
        o.println("Best parameter sets (mIoU %):");
        for (int i = 0; i < Math.min(5, r.ranked().size()); i++) {
            CrfGridSearch.Score<CrfSettings> s = r.ranked().get(i);
            o.printf(Locale.ROOT, "  %6.2f  %s%n", 100 * s.meanIou(), s.params());
        }
        r.ranked().stream().filter(s -> s.params().equals(CrfSettings.paper())).findFirst()
                .ifPresent(s -> o.printf(Locale.ROOT, "  %6.2f  (paper preset)%n", 100 * s.meanIou()));
        r.best().save(model);
        o.printf("Wrote %s%n", model.resolve(CrfSettings.FILE).toAbsolutePath());
        return Reports.exitCode(o, r.loading());
    }
}
