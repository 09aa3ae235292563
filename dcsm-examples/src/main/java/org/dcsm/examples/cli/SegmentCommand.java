package org.dcsm.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.pipeline.MemoryBudget;
import org.dcsm.core.LabelMap;
import org.dcsm.core.UntrustedText;
import org.dcsm.core.io.ImageFiles;
import org.dcsm.core.io.ImageLoader;
import org.dcsm.core.io.LabelMapPng;
import org.dcsm.core.pipeline.BatchReport;
import org.dcsm.core.pipeline.BatchRunner;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.dcsm.core.pipeline.Segmentation;
import org.dcsm.core.render.LabelOverlay;
import org.dcsm.examples.report.ClassMapPictures;
import org.dcsm.pipeline.ItemCost;
import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodPreset;
import org.dcsm.pipeline.MethodSettings;
import org.dcsm.pipeline.DcsmPipelines;
import org.dcsm.examples.run.ModelFiles;
import org.nd4j.linalg.api.ndarray.INDArray;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dcsm segment}: segments image files; writes palette PNGs, overlays and class maps. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Segments images (files, or every .jpg/.jpeg/.png/.bmp in a folder) with a trained model and "
                + "writes, per image: <name>.png (class ids in the PASCAL VOC palette), <name>_overlay.png and "
                + "<name>_map_<id>_<class>.png (the DCSM class map of each candidate).",
                "A file that cannot be read is reported and skipped; the others are still written. Inputs that share "
                        + "a name (a.jpg, a.png) are written as a_jpg, a_png. --out must not hold the inputs; a "
                        + "non-empty --out needs --overwrite, which only empties a folder that dcsm wrote."})
final class SegmentCommand implements Callable<Integer> {

    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "A model saved by dcsm train.")
    Path model;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "segmentations",
            description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an earlier dcsm output in --out (only a folder dcsm wrote).")
    boolean overwrite;

    @Option(names = "--method", defaultValue = "dcsm", paramLabel = "dcsm|dcsm-nocrf|simonyan",
            description = "Method (default ${DEFAULT-VALUE}).")
    String method;

    @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR", description = "Images or folders of images.")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        Method chosen = OptionCheck.value(spec.commandLine(), () -> Method.parse(method));
        methodOptions.check(spec.commandLine());
        List<Path> files = expand(inputs);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("No image found in " + inputs + " (looked for " + EXTENSIONS + ")");
        }
        OutputFolder.prepare(spec.commandLine(), out, "--out", overwrite, files);
        Map<Path, String> stems = outputStems(files);
        FcnModel fcn = ModelFiles.load(model);
        methodOptions.checkBlocks(spec.commandLine(), fcn);
        ImageLoader loader = ImageLoader.defaults();
        MethodSettings dcsm = methodOptions.settings(MethodPreset.loadOrDefault(model, Method.DCSM), common.threads());
        MethodSettings settings = chosen == Method.SIMONYAN
                ? methodOptions.baseline(dcsm, MethodPreset.loadOrDefault(model, Method.SIMONYAN)) : dcsm;
        DcsmPipeline pipeline = DcsmPipelines.forMethod(chosen, fcn, settings);
        ItemCost cost = ItemCost.of(fcn, dcsm, settings, EnumSet.of(chosen), MemoryBudget.ofProcess());
        var o = spec.commandLine().getOut();
        o.println("Settings: " + (chosen == Method.SIMONYAN ? settings.baselineDescription() : settings.toString()));
        BatchReport report;
        try (ConsoleProgress p = common.progress("segment")) {
            report = BatchRunner.run(files, files.size(), Path::toString, f -> {
                // each image's cost from its own header, before a pixel is decoded
                cost.check(UntrustedText.printable(f.getFileName().toString()), loader.readSize(f));
                try (INDArray image = loader.read(f)) { // each image's pixels freed as soon as it is written
                    Segmentation s = pipeline.segment(image);
                    LabelMap labels = chosen == Method.DCSM_NOCRF ? s.unrefinedLabels() : s.labels();
                    String stem = stems.get(f);
                    LabelMapPng.write(labels, out.resolve(stem + ".png"));
                    ImageFiles.writePng(LabelOverlay.defaults().overlay(image, labels),
                            out.resolve(stem + "_overlay.png"));
                    ClassMapPictures.write(out, stem, s, fcn.classes());
                }
            }, p);
        }
        o.printf(Locale.ROOT, "Segmented %d of %d images into %s%n", report.succeeded(), files.size(), out.toAbsolutePath());
        return Reports.exitCode(o, report);
    }

    /**
     * The output name of each input: its file name without the extension, or, where two inputs share that
     * stem (a.jpg and a.png, or two folders' a.jpg; compared ignoring case), the stem with the extension
     * ({@code a_jpg}) and then a counter ({@code a_jpg_2}), so that no output replaces another.
     */
    static Map<Path, String> outputStems(List<Path> files) {
        Map<String, Integer> count = new HashMap<>();
        for (Path f : files) {
            count.merge(key(stem(f)), 1, Integer::sum);
        }
        Map<Path, String> out = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (Path f : files) {
            String stem = stem(f);
            String name = count.get(key(stem)) == 1 ? stem : stem + "_" + extension(f);
            String unique = name;
            for (int i = 2; !used.add(key(unique)); i++) {
                unique = name + "_" + i;
            }
            out.put(f, unique);
        }
        return out;
    }

    private static String key(String stem) {
        return stem.toLowerCase(Locale.ROOT);
    }

    private static String stem(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String extension(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    /** Files as given; folders replaced by their image files (sorted, not recursive). */
    static List<Path> expand(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Files::isRegularFile).filter(f -> EXTENSIONS.stream()
                                    .anyMatch(e -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e)))
                            .sorted().forEach(files::add);
                }
            } else {
                files.add(p); // a missing file fails on its own
            }
        }
        return files;
    }
}
