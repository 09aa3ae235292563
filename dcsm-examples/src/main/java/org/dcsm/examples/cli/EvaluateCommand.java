package org.dcsm.examples.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.pipeline.MemoryBudget;
import org.dcsm.core.eval.SegmentationScores;
import org.dcsm.core.pipeline.CandidateMapRule;
import org.dcsm.core.voc.VocDataset;
import org.dcsm.core.voc.VocSample;
import org.dcsm.examples.report.RunReport;
import org.dcsm.examples.run.CandidateMapComparison;
import org.dcsm.examples.run.ClassificationSink;
import org.dcsm.examples.run.EvalItem;
import org.dcsm.examples.run.Evaluator;
import org.dcsm.pipeline.ItemCost;
import org.dcsm.pipeline.DcsmPipelines;
import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodSettings;
import org.dcsm.examples.run.ModelFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dcsm evaluate}: segments a split with masks and prints per-class IoU and the mIoU. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Segments a split of a PASCAL VOC-layout folder with a trained model and scores it against the "
                + "masks (void 255 ignored): prints per-class IoU and ends with a line 'mIoU: <percent>'. Writes "
                + "scores CSV/JSON and an HTML report with a gallery into --report.",
                "Each method's Eq. 5 alpha and CRF come from MODEL_DIR/crf.properties (DCSM) and "
                        + "MODEL_DIR/crf-simonyan.properties (the Simonyan baseline) when dcsm tune-crf wrote them, else "
                        + "from built-in presets (DCSM: alpha 3 and the paper's CRF; baseline: alpha 5 and the paper's "
                        + "CRF). A warning is printed when a preset was tuned on the split being evaluated."})
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions dataset;

    @Mixin
    MethodOptions methodOptions;

    @Mixin
    EvaluationOptions evaluation;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Only the first N images (default: all).")
    int limit;

    @Option(names = "--report", paramLabel = "DIR", description = "Write scores (CSV, JSON) and report.html with a gallery here.")
    Path report;

    @Option(names = "--overwrite", description = "Replace an earlier dcsm report in --report (only a folder dcsm wrote).")
    boolean overwrite;

    @Option(names = "--gallery", paramLabel = "N", defaultValue = "12", description = "Images in the report's gallery (default ${DEFAULT-VALUE}).")
    int gallery;

    @Option(names = "--classification",
            description = "Also score the network as a multi-label classifier on the same images (mean average "
                    + "precision over the classes, and the share of images whose labels are all right at p > 0.5), "
                    + "labels taken from the masks, on the images segmented.")
    boolean classification;

    @Option(names = "--compare-candidate-maps", split = ",", paramLabel = "RULE",
            description = "Also score DCSM, with and without the CRF, under each of these candidate-map rules (as "
                    + "--candidate-maps: paper, probability, confident[:P], confident-probability[:P]) in the same "
                    + "pass: the maps are computed once per image, each rule adds Eq. 7 and one CRF. Needs dcsm or "
                    + "dcsm-nocrf among the methods.")
    List<String> compareCandidateMaps;

    @Override
    public Integer call() throws Exception {
        Method chosen = evaluation.chosen(spec.commandLine());
        Path model = evaluation.model;
        String split = evaluation.split;
        methodOptions.check(spec.commandLine());
        if (report != null) {
            OutputFolder.prepare(spec.commandLine(), report, "--report", overwrite, List.of(model, dataset.voc));
        }
        FcnModel fcn = ModelFiles.load(model);
        methodOptions.checkBlocks(spec.commandLine(), fcn);
        VocDataset voc = dataset.open();
        ModelFiles.requireSameClasses(fcn, voc);
        List<VocSample> samples = voc.samples(split);
        if (limit > 0 && samples.size() > limit) {
            samples = samples.subList(0, limit);
        }
        if (samples.isEmpty()) {
            throw new IllegalStateException("Split '" + split + "' of " + voc.root() + " lists no image");
        }
        MethodSettings settings = methodOptions.settings(evaluation.dcsmPreset(), common.threads());
        MethodSettings baseline = methodOptions.baseline(settings, evaluation.baselinePreset());
        var o = spec.commandLine().getOut();
        o.printf("Evaluating %s on %d images of %s/%s%n", evaluation.compare ? "all methods" : chosen.title(),
                samples.size(), voc.root(), split);
        EnumSet<Method> methods = evaluation.methods(chosen);
        evaluation.printSettings(o, methods, settings, baseline);
        RunReport.Gallery pictures = report == null ? null : new RunReport.Gallery(report, fcn.classes(), gallery);
        ClassificationSink classifier = classification ? new ClassificationSink(fcn) : null;
        Evaluator.OutcomeSink sink = pictures == null ? classifier : pictures.andThen(classifier);
        CandidateMapComparison rules = null;
        if (compareCandidateMaps != null && !compareCandidateMaps.isEmpty()) {
            if (!methods.contains(Method.DCSM) && !methods.contains(Method.DCSM_NOCRF)) {
                throw new IllegalArgumentException("--compare-candidate-maps needs --method dcsm, dcsm-nocrf or "
                        + "--compare, found --method " + chosen.cliName());
            }
            Map<String, CandidateMapRule> named = new LinkedHashMap<>();
            for (String name : compareCandidateMaps) {
                CandidateMapRule rule = MethodOptions.candidateMapRule(name, settings.threshold());
                named.put(name.strip(), rule);
                o.println("Candidate maps '" + name.strip() + "': " + rule);
            }
            rules = new CandidateMapComparison(fcn.classes(), named,
                    DcsmPipelines.crfRefiner(settings));
            sink = sink == null ? rules : sink.andThen(rules);
        }
        Evaluator.Result r;
        try (ConsoleProgress p = common.progress("segment")) {
            ItemCost cost = ItemCost.of(fcn, settings, baseline, methods, MemoryBudget.ofProcess());
            r = Evaluator.evaluate(fcn, settings, baseline, methods,
                    samples.stream().map(s -> EvalItem.of(s, cost)).toList(), samples.size(), p, sink);
        }
        // the same line as spark-evaluate's, so that the two can be compared (docs/PERFORMANCE.md, "Spark")
        o.printf(Locale.ROOT, "%d images in %.1f s (%.3f s per image)%n", r.report().attempted(),
                r.secondsPerImage() * r.report().attempted(), r.secondsPerImage());
        if (report != null) {
            Path page = RunReport.write(report, "dcsm evaluate: " + voc.root().getFileName() + "/" + split, fcn.classes(),
                    r.scores(), pictures, List.of("Model: " + model.toAbsolutePath(), "Settings: " + settings,
                            "Baseline: " + baseline.baselineDescription(),
                            String.format(Locale.ROOT, "%.2f s per image", r.secondsPerImage())));
            o.println("Report: " + page.toAbsolutePath());
        }
        if (evaluation.compare) {
            o.println();
            o.print(org.dcsm.examples.run.ScoreTable.text(fcn.classes(), r.scores()));
        }
        if (rules != null) {
            o.println();
            o.print(org.dcsm.examples.run.ScoreTable.titledText(fcn.classes(), "candidate maps, method",
                    rules.scores()));
        }
        SegmentationScores scores = r.scores().get(chosen);
        o.println();
        o.print(scores.table());
        if (classifier != null) {
            String skipped = classifier.imagesWithoutLabels() == 0 ? ""
                    : " (" + classifier.imagesWithoutLabels() + " without a foreground class skipped)";
            classifier.evaluation().ifPresentOrElse(c -> o.printf(Locale.ROOT,
                    "Classification on %d images: mAP %.3f, all labels right in %.1f %%%s%n", c.imageCount(),
                    c.meanAveragePrecision(), 100 * c.exactMatchAccuracy(), skipped),
                    () -> o.println("Classification: no segmented image with a foreground class"));
        }
        int code = Reports.exitCode(o, r.report());
        o.printf(Locale.ROOT, "mIoU: %.2f%n", 100 * scores.meanIou());
        return code;
    }
}
