package org.dcsm.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.core.voc.VocDataset;
import org.dcsm.examples.run.ModelFiles;
import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodPreset;
import org.dcsm.pipeline.MethodSettings;
import org.dcsm.spark.DcsmSpark;
import org.dcsm.spark.ModelBundle;
import org.dcsm.spark.SegmentSettings;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dcsm spark-segment}: {@code dcsm segment} on Apache Spark, for millions of images (dcsm-spark). */
@Command(name = "spark-segment", mixinStandardHelpOptions = true,
        description = {"Segments images on Apache Spark (run it with spark-submit): image URIs on any Hadoop file "
                + "system (files, or the .jpg/.jpeg/.png/.bmp files of folders), or a split of a VOC-layout folder "
                + "(--voc). Writes OUT/labels/<id>.png (palette PNGs), OUT/maps/ (class maps, --class-maps) and "
                + "OUT/results, a Parquet table with one row per image (id, candidates with probabilities, timings, "
                + "status, error).",
                "An image that fails is a row with status 'failed'; the job goes on. Running the command again on "
                        + "the same --out resumes it: images with an ok row are skipped. --out must be new, empty "
                        + "or an earlier spark-segment output. Settings as dcsm segment (crf.properties of the "
                        + "model folder, method options)."})
final class SparkSegmentCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR",
            description = "A model saved by dcsm train (a folder the driver reads; it is broadcast to the executors).")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "URI",
            description = "Output folder on any Hadoop file system (a path, file:///..., hdfs://...).")
    String out;

    @Option(names = "--method", defaultValue = "dcsm", paramLabel = "dcsm|dcsm-nocrf|simonyan",
            description = "Method (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--class-maps", description = "Also write each candidate's fused class map (heat-map PNG).")
    boolean classMaps;

    @Mixin
    SparkOptions spark;

    @Option(names = "--voc", paramLabel = "DIR", description = "Segment a split of this VOC-layout folder instead.")
    Path voc;

    @Option(names = "--split", defaultValue = "val", description = "The split of --voc (default ${DEFAULT-VALUE}).")
    String split;

    @Parameters(arity = "0..*", paramLabel = "URI", description = "Images or folders of images.")
    List<String> inputs;

    @Override
    public Integer call() throws Exception {
        if (!SparkJobs.available()) {
            throw new IllegalStateException(SparkJobs.missingSparkMessage("spark-segment"));
        }
        Method chosen = OptionCheck.value(spec.commandLine(), () -> Method.parse(method));
        methodOptions.check(spec.commandLine());
        if ((voc == null) == (inputs == null || inputs.isEmpty())) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Give either image URIs or --voc DIR, not both and not neither");
        }
        FcnModel fcn = ModelFiles.load(model);
        methodOptions.checkBlocks(spec.commandLine(), fcn);
        MethodSettings dcsm = methodOptions.settings(MethodPreset.loadOrDefault(model, Method.DCSM), common.threads());
        MethodSettings baseline = methodOptions.baseline(dcsm, MethodPreset.loadOrDefault(model, Method.SIMONYAN));
        SegmentSettings settings = SegmentSettings.builder().method(chosen).settings(dcsm).baseline(baseline)
                .output(out).classMaps(classMaps).partitions(spark.partitions).build();
        var o = spec.commandLine().getOut();
        o.println("Settings: " + (chosen == Method.SIMONYAN ? baseline.baselineDescription() : dcsm.toString()));
        VocDataset dataset = voc == null ? null : VocDataset.open(voc);
        DcsmSpark.SegmentReport r = SparkJobs.segment(spark.master, inputs, dataset, split, ModelBundle.read(model),
                settings);
        o.println(DcsmSpark.summary(r));
        if (r.failed() == 0) {
            return DcsmCommand.OK;
        }
        o.printf("%d image(s) failed (rows with status 'failed' in %s)%s:%n", r.failed(), r.table(),
                r.failures().size() < r.failed() ? ", the first " + r.failures().size() : "");
        r.failures().forEach(f -> o.println("  FAILED " + f));
        return DcsmCommand.PARTIAL;
    }
}
