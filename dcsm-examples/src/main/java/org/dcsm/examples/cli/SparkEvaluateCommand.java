package org.dcsm.examples.cli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.core.eval.SegmentationScores;
import org.dcsm.core.voc.VocDataset;
import org.dcsm.examples.run.ModelFiles;
import org.dcsm.examples.run.ScoreTable;
import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodSettings;
import org.dcsm.spark.DcsmSpark;
import org.dcsm.spark.ImageRef;
import org.dcsm.spark.ModelBundle;
import org.dcsm.spark.SegmentSettings;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code dcsm spark-evaluate}: {@code dcsm evaluate} on Apache Spark; the same scores, summed over partitions. */
@Command(name = "spark-evaluate", mixinStandardHelpOptions = true,
        description = {"Scores a split of a PASCAL VOC-layout folder on Apache Spark (run it with spark-submit): each "
                + "partition counts a confusion matrix, the driver sums them, so the per-class IoU and the last line "
                + "'mIoU: <percent>' equal dcsm evaluate's on the same split and settings.",
                "Settings as dcsm evaluate (crf.properties and crf-simonyan.properties of the model folder, method "
                        + "options). An image that fails is listed at the end (exit code 3)."})
final class SparkEvaluateCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions dataset;

    @Mixin
    MethodOptions methodOptions;

    @Mixin
    EvaluationOptions evaluation;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        if (!SparkJobs.available()) {
            throw new IllegalStateException(SparkJobs.missingSparkMessage("spark-evaluate"));
        }
        Method chosen = evaluation.chosen(spec.commandLine());
        Path model = evaluation.model;
        String split = evaluation.split;
        methodOptions.check(spec.commandLine());
        FcnModel fcn = ModelFiles.load(model);
        methodOptions.checkBlocks(spec.commandLine(), fcn);
        VocDataset voc = dataset.open();
        ModelFiles.requireSameClasses(fcn, voc);
        List<ImageRef> refs = ImageRef.voc(voc, split);
        if (refs.isEmpty()) {
            throw new IllegalStateException("Split '" + split + "' of " + voc.root() + " lists no image");
        }
        MethodSettings settings = methodOptions.settings(evaluation.dcsmPreset(), common.threads());
        MethodSettings baseline = methodOptions.baseline(settings, evaluation.baselinePreset());
        EnumSet<Method> methods = evaluation.methods(chosen);
        var o = spec.commandLine().getOut();
        o.printf("Evaluating %s on %d images of %s/%s on Spark%n", evaluation.compare ? "all methods" : chosen.title(),
                refs.size(), voc.root(), split);
        evaluation.printSettings(o, methods, settings, baseline);
        SegmentSettings job = SegmentSettings.builder().method(chosen).settings(settings).baseline(baseline)
                .partitions(spark.partitions).build();
        DcsmSpark.EvaluationReport r = SparkJobs.evaluate(spark.master, refs, methods, ModelBundle.read(model), job);
        Map<Method, SegmentationScores> scores = new EnumMap<>(Method.class);
        r.matrices().forEach((m, cm) -> scores.put(m, cm.scores()));
        o.printf(Locale.ROOT, "%d images in %.1f s (%.3f s per image)%n", r.attempted(), r.seconds(),
                r.seconds() / Math.max(1, r.attempted()));
        if (evaluation.compare) {
            o.println();
            o.print(ScoreTable.text(fcn.classes(), scores));
        }
        SegmentationScores s = scores.get(chosen);
        o.println();
        o.print(s.table());
        int code = DcsmCommand.OK;
        if (r.failed() > 0) {
            o.printf("%d item(s) failed and were skipped%s:%n", r.failed(),
                    r.failures().size() < r.failed() ? " (the first " + r.failures().size() + " listed)" : "");
            r.failures().forEach(f -> o.println("  FAILED " + f));
            code = DcsmCommand.PARTIAL;
        }
        o.printf(Locale.ROOT, "mIoU: %.2f%n", 100 * s.meanIou());
        return code;
    }
}
