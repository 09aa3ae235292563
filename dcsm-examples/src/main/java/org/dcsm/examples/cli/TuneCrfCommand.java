package org.dcsm.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.pipeline.MemoryBudget;
import org.dcsm.core.voc.VocDataset;
import org.dcsm.core.voc.VocSample;
import org.dcsm.crf.KernelNormalization;
import org.dcsm.crf.CrfSettings;
import org.dcsm.examples.run.EvalItem;
import org.dcsm.pipeline.CrfTuning;
import org.dcsm.pipeline.ItemCost;
import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodPreset;
import org.dcsm.pipeline.MethodSettings;
import org.dcsm.examples.run.ModelFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dcsm tune-crf}: per method, grid search of Eq. 5's alpha and the CRF on a split with masks. */
@Command(name = "tune-crf", mixinStandardHelpOptions = true,
        description = {"Per method (DCSM and the Simonyan baseline, by the same procedure on the same images), grid "
                + "search of Eq. 5's alpha and the dense CRF's kernel normalisation, weights and thetas (w1, "
                + "theta_alpha, theta_beta, w2, theta_gamma) by mIoU on a split with masks. Prints the best setting "
                + "and the runner-up with their mIoU, and writes the best into MODEL_DIR/crf.properties (DCSM) and "
                + "MODEL_DIR/crf-simonyan.properties (baseline), which evaluate and segment then use.",
                "Tuning reads the pixel labels of the split it tunes on (default train): evaluate on another split "
                        + "(val); evaluate warns when the two are the same."})
class TuneCrfCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions dataset;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--split", defaultValue = "train", description = "Split to tune on, with masks (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "A model saved by dcsm train.")
    Path model;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Use the first N images (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--method", paramLabel = "dcsm|simonyan|both", defaultValue = "both",
            description = "Which method's alpha and CRF to tune (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--alphas", split = ",", paramLabel = "A", defaultValue = "1,3,5,8",
            description = "Eq. 5 gains to search (default ${DEFAULT-VALUE}; the paper's best: 3 for DCSM, 8 for "
                    + "Simonyan et al.).")
    List<Double> alphas;

    @Option(names = "--normalizations", split = ",", paramLabel = "MODE", defaultValue = "symmetric,mean",
            description = "CRF kernel normalisation modes to search (default ${DEFAULT-VALUE}; known: none, mean, "
                    + "before, after, symmetric). 54 CRF settings per mode and alpha on the default axes.")
    List<String> normalizations;

    @Option(names = "--w1", split = ",", paramLabel = "W", defaultValue = "1,3,5",
            description = "Bilateral weights to search (default ${DEFAULT-VALUE}).")
    List<Double> w1;

    @Option(names = "--theta-alpha", split = ",", paramLabel = "PX", defaultValue = "10,30,60",
            description = "Bilateral position bandwidths to search, pixels (default ${DEFAULT-VALUE}).")
    List<Double> thetaAlpha;

    @Option(names = "--theta-beta", split = ",", paramLabel = "RGB", defaultValue = "5,10,20",
            description = "Bilateral colour bandwidths to search, RGB 0..255 (default ${DEFAULT-VALUE}).")
    List<Double> thetaBeta;

    @Option(names = "--w2", split = ",", paramLabel = "W", defaultValue = "1,3",
            description = "Gaussian (smoothness) weights to search (default ${DEFAULT-VALUE}).")
    List<Double> w2;

    @Override
    public Integer call() throws Exception {
        var cl = spec.commandLine();
        OptionCheck.require(cl, () -> {
            if (limit < 1) {
                throw new IllegalArgumentException("--limit must be >= 1, found " + limit);
            }
            for (double a : alphas) {
                MethodPreset.requireAlpha("--alphas", a);
            }
        });
        List<Method> methods = OptionCheck.value(cl, () -> methods(method));
        List<KernelNormalization> modes = new ArrayList<>();
        for (String n : normalizations) {
            modes.add(OptionCheck.value(cl, () -> mode(n)));
        }
        CrfTuning.Axes axes = OptionCheck.value(cl, () -> new CrfTuning.Axes(w1, thetaAlpha, thetaBeta, w2));
        methodOptions.check(cl);
        FcnModel fcn = ModelFiles.load(model);
        methodOptions.checkBlocks(cl, fcn);
        VocDataset voc = dataset.open();
        ModelFiles.requireSameClasses(fcn, voc);
        List<VocSample> samples = voc.samples(split);
        if (samples.size() > limit) {
            samples = samples.subList(0, limit);
        }
        if (samples.isEmpty()) {
            throw new IllegalStateException("Split '" + split + "' of " + voc.root() + " lists no image");
        }
        MethodSettings dcsm = methodOptions.settings(MethodPreset.DCSM_DEFAULT, common.threads());
        List<CrfSettings> grid = CrfTuning.grid(modes, axes);
        var o = spec.commandLine().getOut();
        o.printf("Tuning %s on %d images of %s/%s over %d alphas x %d CRF settings each%n",
                methods.stream().map(Method::title).toList(), samples.size(), voc.root(), split, alphas.size(), grid.size());
        if (split.equals("val")) {
            o.println("Note: tuning on 'val'; report figures on another split, or they are optimistic");
        }
        ItemCost cost = ItemCost.of(fcn, dcsm, methodOptions.baseline(dcsm, MethodPreset.SIMONYAN_DEFAULT),
                EnumSet.copyOf(methods), MemoryBudget.ofProcess());
        List<EvalItem> items = samples.stream().map(s -> EvalItem.of(s, cost)).toList();
        int code = 0;
        for (Method m : methods) {
            MethodSettings s = m == Method.SIMONYAN ? methodOptions.baseline(dcsm, MethodPreset.SIMONYAN_DEFAULT) : dcsm;
            long start = System.nanoTime();
            CrfTuning.MethodResult r = tune(new Job(fcn, m, s, dcsm, methodOptions.baseline(dcsm,
                    MethodPreset.SIMONYAN_DEFAULT), voc, samples, items, grid));
            o.printf(Locale.ROOT, "Tuned %s: %d images x %d points in %.1f s%n", m.title(), samples.size(),
                    alphas.size() * grid.size(), (System.nanoTime() - start) / 1e9);
            o.println();
            r.summary().forEach(o::println);
            if (Double.isNaN(r.best().meanIou())) {
                throw new IllegalStateException("No parameter set of " + m.title() + " scored on split '" + split
                        + "' (no labelled pixel: are the masks all void or missing?); nothing was written to "
                        + model.resolve(MethodPreset.fileOf(m)));
            }
            List<String> edges = axes.edgesOf(r.best().params().crf());
            if (!edges.isEmpty()) {
                o.printf("  the best lies on the edge of the grid (%s): widen --w1/--theta-alpha/--theta-beta/--w2 "
                        + "to see whether a better point lies beyond%n", String.join("; ", edges));
            }
            r.best().params().preset(split).save(model, m);
            o.printf("Wrote %s%n", model.resolve(MethodPreset.fileOf(m)).toAbsolutePath());
            code = Math.max(code, Reports.exitCode(o, r.loading()));
        }
        return code;
    }

    /**
     * One method's search: the model, the method and its settings ({@code settings}: the baseline's for the Simonyan
     * baseline; {@code dcsm} and {@code baseline}: both), the split's first {@code --limit} samples and their items,
     * and the grid.
     */
    record Job(FcnModel fcn, Method method, MethodSettings settings, MethodSettings dcsm, MethodSettings baseline,
               VocDataset voc, List<VocSample> samples, List<EvalItem> items, List<CrfSettings> grid) {
    }

    /** Runs one method's search on this machine ({@code spark-tune-crf} runs it on Spark). */
    CrfTuning.MethodResult tune(Job job) throws Exception {
        try (ConsoleProgress maps = common.progress("maps"); ConsoleProgress search = common.progress("grid")) {
            return CrfTuning.tune(job.fcn(), job.method(), job.settings(), split, job.items(), alphas, job.grid(),
                    maps, search);
        }
    }

    static List<Method> methods(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "both" -> List.of(Method.DCSM, Method.SIMONYAN);
            case "dcsm" -> List.of(Method.DCSM);
            case "simonyan" -> List.of(Method.SIMONYAN);
            default -> throw new IllegalArgumentException("Unknown --method '" + name + "' for tune-crf; known: dcsm, "
                    + "simonyan, both");
        };
    }

    static KernelNormalization mode(String name) {
        try {
            return KernelNormalization.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown --normalizations mode '" + name + "'; known: none, mean, before, "
                    + "after, symmetric", e);
        }
    }
}
