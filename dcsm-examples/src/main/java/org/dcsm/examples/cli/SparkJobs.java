package org.dcsm.examples.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.dcsm.core.voc.VocDataset;
import org.dcsm.crf.CrfSettings;
import org.dcsm.pipeline.CrfTuning;
import org.dcsm.pipeline.Method;
import org.dcsm.spark.DcsmSpark;
import org.dcsm.spark.ImageRef;
import org.dcsm.spark.ModelBundle;
import org.dcsm.spark.SegmentSettings;

/**
 * The Spark side of {@code dcsm spark-segment}, {@code spark-evaluate} and {@code spark-tune-crf}: the only class of
 * the command line that names Spark's types, loaded only after {@link #available()} said Spark is on the class path (spark-submit puts
 * it there; the {@code dcsm} launcher does not, and the commands then stop with a message saying how to run them).
 */
final class SparkJobs {

    /** What to look for in an input folder (as {@code dcsm segment}). */
    static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp");

    private SparkJobs() {
    }

    /** Whether Spark SQL's classes can be loaded. */
    static boolean available() {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, SparkJobs.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The message of a Spark command run without Spark. */
    static String missingSparkMessage(String command) {
        return command + " runs on Apache Spark 3.5 (Scala 2.12), which is not on the class path: run it with "
                + "spark-submit --class " + DcsmCommand.class.getName() + " dcsm-examples/target/dcsm.jar " + command
                + " ... (README, \"Running on Spark\"; dcsm-spark/bin/spark-submit runs it locally without a Spark "
                + "installation)";
    }

    /** Application name of {@code spark-tune-crf}'s session. */
    static final String TUNE_CRF_APP = "dcsm spark-tune-crf";

    /** The session spark-submit configured, with {@code master} when given (e.g. local[2] outside spark-submit). */
    static SparkSession session(String appName, String master) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (master != null) {
            b.master(master);
        }
        return b.getOrCreate();
    }

    /**
     * Image URIs from files and folders on any Hadoop file system: a folder gives its files with an image extension
     * ({@link #EXTENSIONS}, not recursive), sorted; a file is taken as given (a missing one fails on its own).
     */
    static List<String> expand(SparkSession spark, List<String> inputs) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<String> out = new ArrayList<>();
        for (String in : inputs) {
            Path p = new Path(in);
            FileSystem fs = p.getFileSystem(conf);
            Path q = fs.makeQualified(p);
            if (fs.exists(q) && fs.getFileStatus(q).isDirectory()) {
                FileStatus[] files = fs.listStatus(q, f -> EXTENSIONS.stream()
                        .anyMatch(e -> f.getName().toLowerCase(Locale.ROOT).endsWith(e)));
                Arrays.sort(files);
                for (FileStatus f : files) {
                    if (f.isFile()) {
                        out.add(f.getPath().toString());
                    }
                }
            } else {
                out.add(q.toString());
            }
        }
        return out;
    }

    /** {@code spark-segment}'s job: inputs (URIs or a VOC split) segmented by {@link DcsmSpark#segment}. */
    static DcsmSpark.SegmentReport segment(String master, List<String> inputs, VocDataset voc, String split,
                                           ModelBundle model, SegmentSettings settings) throws IOException {
        SparkSession spark = session("dcsm spark-segment", master);
        List<ImageRef> refs = voc != null ? ImageRef.voc(voc, split) : ImageRef.ofUris(expand(spark, inputs));
        if (refs.isEmpty()) {
            throw new IllegalArgumentException("No image found in " + (voc != null ? voc.root() + "/" + split : inputs)
                    + " (looked for " + EXTENSIONS + ")");
        }
        return DcsmSpark.segment(spark, model, refs, settings);
    }

    /** {@code spark-tune-crf}'s job: one method tuned on a VOC split by {@link DcsmSpark#tuneCrf}. */
    static CrfTuning.MethodResult tuneCrf(String master, List<ImageRef> refs, ModelBundle model, Method method,
                                          String split, List<Double> alphas, List<CrfSettings> grid,
                                          SegmentSettings settings) throws IOException {
        return DcsmSpark.tuneCrf(session(TUNE_CRF_APP, master), model, refs, method, split, alphas, grid,
                settings, DcsmSpark.DEFAULT_MAX_SAMPLE_BYTES);
    }

    /** {@code spark-evaluate}'s job: a VOC split scored by {@link DcsmSpark#evaluate}. */
    static DcsmSpark.EvaluationReport evaluate(String master, List<ImageRef> refs, Set<Method> methods,
                                               ModelBundle model, SegmentSettings settings) throws IOException {
        return DcsmSpark.evaluate(session("dcsm spark-evaluate", master), model, refs, methods, settings);
    }
}
