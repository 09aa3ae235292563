package org.dcsm.examples.cli;

import java.util.List;

import org.dcsm.pipeline.CrfTuning;
import org.dcsm.spark.ImageRef;
import org.dcsm.spark.ModelBundle;
import org.dcsm.spark.SegmentSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code dcsm spark-tune-crf}: {@code dcsm tune-crf} on Apache Spark (dcsm-spark's {@code DcsmSpark.tuneCrf}): the
 * images sampled on the executors, then the grid's θ-groups spread over tasks. The same options (inherited), the
 * same report, the same scores, and the same files written (the best preset per method into the model folder, as
 * {@code tune-crf} writes it). With {@code --partitions N} the grid stage runs {@code N × θ-groups} tasks.
 */
@Command(name = "spark-tune-crf", mixinStandardHelpOptions = true,
        description = {"dcsm tune-crf on Apache Spark (run it with spark-submit): per method, the grid search of Eq. "
                + "5's alpha and the dense CRF, with the images spread over executors (their per-alpha maps computed "
                + "once) and then the CRF grid's bandwidth groups spread over tasks. Prints the same report and "
                + "writes the same MODEL_DIR/crf.properties / crf-simonyan.properties as tune-crf, whose scores it "
                + "equals on the same images.",
                "Tuning reads the pixel labels of the split it tunes on (default train): evaluate on another split "
                        + "(val)."})
final class SparkTuneCrfCommand extends TuneCrfCommand {

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        if (!SparkJobs.available()) {
            throw new IllegalStateException(SparkJobs.missingSparkMessage("spark-tune-crf"));
        }
        SparkJobs.session(SparkJobs.TUNE_CRF_APP, spark.master); // started before the timed search, as spark-evaluate's
        return super.call();
    }

    @Override
    CrfTuning.MethodResult tune(Job job) throws Exception {
        List<ImageRef> refs = ImageRef.voc(job.voc(), split).subList(0, job.samples().size()); // tune-crf's --limit
        SegmentSettings settings = SegmentSettings.builder().method(job.method()).settings(job.dcsm())
                .baseline(job.baseline()).partitions(spark.partitions).build();
        spec.commandLine().getOut().printf("%s on Spark: %d images, %d CRF settings x %d alphas%n",
                job.method().title(), refs.size(), job.grid().size(), alphas.size());
        return SparkJobs.tuneCrf(spark.master, refs, ModelBundle.read(model), job.method(), split, alphas, job.grid(),
                settings);
    }
}
