package org.dcsm.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.dcsm.core.ClassList;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.core.pipeline.BatchReport;
import org.dcsm.crf.CrfSettings;
import org.dcsm.pipeline.CrfTuning;
import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodPreset;

/**
 * dcsm on Apache Spark: batch segmentation ({@link #segment}), distributed evaluation ({@link #evaluate}) and
 * distributed tuning of Eq. 5's alpha and the CRF ({@link #tuneCrf}: images, then grid points, spread over executors)
 * of images on any Hadoop file system.
 *
 * <pre>{@code
 * ModelBundle model = ModelBundle.read(Path.of("my-model"));             // broadcast once per job
 * SegmentSettings s = SegmentSettings.builder().settings(MethodSettings.paper(1)).output("hdfs:///out").build();
 * SegmentReport r = DcsmSpark.segment(spark, model, ImageRef.ofUris(uris), s);
 * }</pre>
 *
 * <p><b>Execution.</b> The model's files are broadcast once; each executor JVM builds its pipelines from them once
 * per concurrently running task and reuses them for every later partition ({@link ExecutorPipelines}: a DL4J network
 * is used by one thread at a time). Each partition is processed by {@code mapPartitions}; an image that fails is a
 * row (or a counted failure in evaluation), never a task failure.
 *
 * <p><b>Output of {@link #segment}</b> (a folder {@code OUT}): {@code OUT/results} a Parquet table
 * ({@link SegmentRows}), {@code OUT/labels/<id>.png} the palette PNGs, {@code OUT/maps/<id>_map_<classId>_<name>.png}
 * the class maps when asked for, and the marker {@value #MARKER}. Rows are committed per task by Spark's output
 * commit protocol: only one attempt of a partition (a retry, or the winner of speculative copies) adds its rows.
 * Each PNG is written to a hidden temporary file and renamed into place, so a killed attempt leaves no partial PNG
 * under its final name, and temporaries left by a killed executor are deleted at the start and end of each call.
 * A PNG of an attempt that did not commit may remain, complete; its image has no ok row and is segmented (to the
 * same bytes) again by the next run. {@code OUT} must be new, empty, or an earlier output of this method (it holds
 * {@value #MARKER}): other folders are refused, nothing a user owns is overwritten. A call on an earlier output
 * resumes it: ids with an ok row are skipped.
 *
 * <p>Stateless; the calls block until the job ends.
 */
public final class DcsmSpark {

    /** The file that marks a folder written by {@link #segment}. */
    public static final String MARKER = "_DCSM_SPARK_OUTPUT";

    /**
     * A default for {@link #tuneCrf}'s {@code maxSampleBytes}: 256 MiB, room for a 500x375 image with 4 alphas of 21
     * labels (about 70 MB); a sample is one Java object in Spark's cache and in a task.
     */
    public static final long DEFAULT_MAX_SAMPLE_BYTES = 256L << 20;

    private static final Pattern LOCAL = Pattern.compile("local(?:-cluster)?\\[(\\*|\\d+)(?:,\\s*\\d+)?\\]");

    private DcsmSpark() {
    }

    /**
     * What {@link #segment} did in one call: images given, skipped (already ok), segmented, failed (the first
     * failures named), the table, the wall time of the call and of its Spark job (the segmentation and the
     * table's commit, without the resume check before and the read-back of the counts after), and the mean per-image
     * times of this call's rows (reading and decoding, segmenting, writing; NaN when none ran): what Spark adds
     * is the rest of the job's time.
     */
    public record SegmentReport(long images, long skipped, long succeeded, long failed, List<String> failures,
                                String table, double seconds, double jobSeconds, double meanReadMs,
                                double meanSegmentMs, double meanWriteMs) {
        public SegmentReport {
            failures = List.copyOf(failures);
        }
    }

    /** What {@link #evaluate} counted: the summed matrix per method, the images attempted and failed. */
    public record EvaluationReport(Map<Method, ConfusionMatrix> matrices, long attempted, long failed,
                                   List<String> failures, double seconds) {
        public EvaluationReport {
            matrices = Map.copyOf(matrices);
            failures = List.copyOf(failures);
        }
    }

    /**
     * Segments {@code images} with {@code settings.method()} and writes the output described in the class comment.
     *
     * @throws IllegalArgumentException when the output folder is refused, or no output was set
     * @throws IOException              when the output cannot be prepared or the table read back
     */
    public static SegmentReport segment(SparkSession spark, ModelBundle model, List<ImageRef> images,
                                        SegmentSettings settings) throws IOException {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(images, "images");
        if (settings.output() == null) {
            throw new IllegalArgumentException("SegmentSettings.output is required by segment");
        }
        long start = System.nanoTime();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path out = new Path(settings.output());
        FileSystem fs = out.getFileSystem(conf);
        prepareOutput(fs, out);
        Path table = new Path(out, "results");
        Path labels = new Path(out, "labels");
        Path maps = new Path(out, "maps");
        fs.mkdirs(labels);
        if (settings.classMaps()) {
            fs.mkdirs(maps);
        }
        HadoopFiles.deleteTemporaries(conf, labels);
        HadoopFiles.deleteTemporaries(conf, maps);

        Set<String> done = new HashSet<>();
        if (fs.exists(table)) {
            for (Row r : spark.read().parquet(table.toString()).filter(functions.col("status").equalTo(SegmentRows.OK))
                    .select("id").distinct().collectAsList()) {
                done.add(r.getString(0));
            }
        }
        List<ImageRef> todo = new ArrayList<>();
        for (ImageRef ref : images) {
            if (!done.contains(ref.id())) {
                todo.add(ref);
            }
        }
        long skipped = images.size() - todo.size();
        String runId = UUID.randomUUID().toString();
        long ok = 0;
        long failed = 0;
        List<String> failures = new ArrayList<>();
        double[] means = {Double.NaN, Double.NaN, Double.NaN};
        double jobSeconds = 0;
        if (!todo.isEmpty()) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            long jobStart = System.nanoTime();
            Broadcast<ModelBundle> broadcast = jsc.broadcast(model);
            try {
                JavaRDD<Row> rows = jsc.parallelize(todo, partitions(jsc, settings, todo.size()))
                        .mapPartitions(new SegmentPartition(broadcast, settings, new HadoopFiles.Conf(conf),
                                labels.toString(), maps.toString(), runId, slotsPerExecutor(spark.sparkContext())));
                spark.createDataFrame(rows, SegmentRows.SCHEMA).write().mode(SaveMode.Append).parquet(table.toString());
                jobSeconds = (System.nanoTime() - jobStart) / 1e9;
            } finally {
                broadcast.unpersist();
                HadoopFiles.deleteTemporaries(conf, labels);
                HadoopFiles.deleteTemporaries(conf, maps);
            }
            Dataset<Row> run = spark.read().parquet(table.toString()).filter(functions.col("run_id").equalTo(runId));
            for (Row r : run.groupBy("status").count().collectAsList()) {
                if (SegmentRows.OK.equals(r.getString(0))) {
                    ok = r.getLong(1);
                } else {
                    failed += r.getLong(1);
                }
            }
            Row avg = run.agg(functions.avg("read_ms"), functions.avg("segment_ms"), functions.avg("write_ms")).first();
            for (int i = 0; i < 3; i++) {
                means[i] = avg.isNullAt(i) ? Double.NaN : avg.getDouble(i);
            }
            for (Row r : run.filter(functions.col("status").notEqual(SegmentRows.OK)).select("id", "error")
                    .orderBy("id").limit(Tally.MAX_FAILURES_KEPT).collectAsList()) {
                failures.add(r.getString(0) + ": " + r.getString(1));
            }
        }
        return new SegmentReport(images.size(), skipped, ok, failed, failures, table.toString(),
                (System.nanoTime() - start) / 1e9, jobSeconds, means[0], means[1], means[2]);
    }

    /**
     * Scores {@code methods} on {@code images} (each with a mask URI): per-partition confusion matrices, summed on
     * the driver. The counts, hence every IoU and the mIoU, equal {@code dcsm evaluate}'s on the same images and
     * settings, whatever the partitioning. Writes nothing.
     *
     * @throws IllegalArgumentException when {@code methods} is empty
     */
    public static EvaluationReport evaluate(SparkSession spark, ModelBundle model, List<ImageRef> images,
                                            Set<Method> methods, SegmentSettings settings) throws IOException {
        Objects.requireNonNull(spark, "spark");
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("At least one method must be evaluated, found none");
        }
        long start = System.nanoTime();
        ClassList classes = model.load().classes();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ModelBundle> broadcast = jsc.broadcast(model);
        Tally total;
        try {
            total = jsc.parallelize(images, partitions(jsc, settings, images.size()))
                    .mapPartitions(new EvaluatePartition(broadcast, settings, EnumSet.copyOf(methods),
                            new HadoopFiles.Conf(spark.sparkContext().hadoopConfiguration()),
                            slotsPerExecutor(spark.sparkContext())))
                    .fold(new Tally(), Tally::plus);
        } finally {
            broadcast.unpersist();
        }
        Map<Method, ConfusionMatrix> matrices = new EnumMap<>(Method.class);
        for (Method m : methods) {
            matrices.put(m, total.matrix(classes, m));
        }
        return new EvaluationReport(matrices, total.attempted, total.failed, total.failures,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Tunes {@code method}'s Eq. 5 alpha and dense CRF on {@code images} (each with a mask URI) as
     * {@link CrfTuning#tune} does on one machine, in two stages, and returns the same result: the same points in the
     * same order, each with the same confusion-matrix counts (integer sums), so the same scores and the same best.
     *
     * <p><b>Stage 1, spread by image.</b> Each partition of {@code images} borrows this JVM's tuning sampler (the
     * method's pipeline, built once per executor thread from the broadcast model, {@link ExecutorPipelines}) and turns
     * each image into a {@link CrfTuning.Sample}: its planar RGB, per alpha the unary of its Eq. 7 maps, its mask,
     * as plain arrays (at most {@code maxSampleBytes} each; a larger one is a failure). An image that cannot be read,
     * decoded, checked or sampled is a counted, named failure, never a task failure. The samples are persisted
     * ({@code MEMORY_AND_DISK_SER}) for stage 2 and unpersisted before this method returns.
     *
     * <p><b>Stage 2, spread by grid point.</b> The grid's points are grouped by bandwidths
     * ({@link CrfTuning#thetaGroups}); the samples' partitions are paired with the groups ({@code cartesian}), so each
     * task runs one group's points (every weight, mode and alpha, on one lattice build per image,
     * {@link CrfTuning#score}) on one partition's images: {@code partitions × groups} tasks. Each task emits the
     * counts of its (alpha, point)s, which the driver sums ({@link ConfusionMatrix#ofCounts}) and ranks
     * ({@link CrfTuning#rank}).
     *
     * <p>Memory: a stage-1 task holds one image's pipeline tensors and its samples as they stream to the cache; a
     * stage-2 task one sample and its lattices at a time, plus its group's matrices; the driver one matrix per
     * (alpha, point). The CRFs run with the method's {@link org.dcsm.pipeline.MethodSettings#threads()} threads per
     * task. Blocks until both stages end; writes nothing.
     *
     * @param method         {@link Method#DCSM} (its settings: {@code settings.settings()}) or {@link Method#SIMONYAN}
     *                       ({@code settings.baseline()}); their alpha and CRF are not used
     * @param split          the split the images come from (recorded in the result)
     * @param alphas         Eq. 5 gains to search, at least one, each &gt; 0
     * @param grid           the CRFs to search, at least one
     * @param maxSampleBytes the largest sample kept (see {@link CrfTuning.Sample#bytes()}), at least 1
     * @throws IllegalArgumentException for {@link Method#DCSM_NOCRF}, no alpha, a bad alpha, an empty grid or a
     *                                  bad {@code maxSampleBytes}
     * @throws IllegalStateException    when no image could be used
     * @throws IOException              when the model cannot be loaded on the driver
     */
    public static CrfTuning.MethodResult tuneCrf(SparkSession spark, ModelBundle model, List<ImageRef> images,
                                                 Method method, String split, List<Double> alphas,
                                                 List<CrfSettings> grid, SegmentSettings settings,
                                                 long maxSampleBytes) throws IOException {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(settings, "settings");
        CrfTuning.requireTunable(method, alphas);
        if (grid.isEmpty()) {
            throw new IllegalArgumentException("At least one CRF setting must be searched, found none");
        }
        if (maxSampleBytes < 1) {
            throw new IllegalArgumentException("maxSampleBytes must be >= 1, found " + maxSampleBytes);
        }
        List<Double> alphaList = List.copyOf(alphas);
        List<CrfSettings> gridList = List.copyOf(grid);
        ClassList classes = model.load().classes();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ModelBundle> broadcast = jsc.broadcast(model);
        JavaRDD<TuneRecord> records = null;
        List<BatchReport.Failure> failures = new ArrayList<>();
        long ok;
        MatrixSums<Integer> total;
        try {
            records = jsc.parallelize(images, partitions(jsc, settings, images.size()))
                    .mapPartitions(new TuneSamplePartition(broadcast, settings, method, alphaList,
                            new HadoopFiles.Conf(spark.sparkContext().hadoopConfiguration()),
                            slotsPerExecutor(spark.sparkContext()), maxSampleBytes))
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
            for (TuneRecord r : records.filter(r -> !r.ok()).collect()) {
                failures.add(new BatchReport.Failure(r.failed(), r.error()));
            }
            JavaRDD<TuneRecord> samples = records.filter(TuneRecord::ok);
            ok = samples.count();
            if (ok == 0) {
                throw new IllegalStateException("No image could be used for tuning: " + failures);
            }
            int groups = CrfTuning.thetaGroups(gridList).size();
            JavaRDD<Integer> groupIds = jsc.parallelize(IntStream.range(0, groups).boxed().toList(), groups);
            total = samples.cartesian(groupIds)
                    .mapPartitions(new TuneGroupPartition(classes, gridList, alphaList.size(),
                            settings.settingsOf(method).threads()))
                    .fold(new MatrixSums<>(), MatrixSums::plus);
        } finally {
            if (records != null) {
                records.unpersist(false);
            }
            broadcast.unpersist();
        }
        ConfusionMatrix[][] cm = new ConfusionMatrix[alphaList.size()][gridList.size()];
        for (int a = 0; a < cm.length; a++) {
            for (int g = 0; g < gridList.size(); g++) {
                cm[a][g] = total.matrix(classes, a * gridList.size() + g);
                if (cm[a][g].images() != ok) {
                    throw new IllegalStateException("Point " + new CrfTuning.Point(alphaList.get(a), gridList.get(g))
                            + " was scored on " + cm[a][g].images() + " images, not the " + ok + " sampled");
                }
            }
        }
        return new CrfTuning.MethodResult(method, split, Math.toIntExact(ok),
                CrfTuning.rank(CrfTuning.scores(alphaList, gridList, cm)), MethodPreset.defaultOf(method),
                new BatchReport(Math.toIntExact(ok), failures));
    }

    /**
     * Tasks one executor runs at once: N of {@code local[N]} ({@code local[*]}: the cores), else
     * {@code spark.executor.cores / spark.task.cpus}. Each task's memory budget is the executor's divided by it.
     */
    static int slotsPerExecutor(SparkContext sc) {
        Matcher m = LOCAL.matcher(sc.master());
        if (m.matches()) {
            return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
        }
        if (sc.master().equals("local")) {
            return 1;
        }
        int cores = sc.getConf().getInt("spark.executor.cores", 1);
        int perTask = sc.getConf().getInt("spark.task.cpus", 1);
        return Math.max(1, cores / Math.max(1, perTask));
    }

    private static int partitions(JavaSparkContext jsc, SegmentSettings s, int items) {
        int n = s.partitions() > 0 ? s.partitions() : jsc.defaultParallelism();
        return Math.max(1, Math.min(n, items));
    }

    /** Refuses a file, or a non-empty folder without the marker; creates the folder and its marker. */
    private static void prepareOutput(FileSystem fs, Path out) throws IOException {
        if (fs.exists(out)) {
            FileStatus status = fs.getFileStatus(out);
            if (!status.isDirectory()) {
                throw new IllegalArgumentException("Output " + out + " is a file, not a folder: choose a folder");
            }
            boolean empty = fs.listStatus(out).length == 0;
            if (!empty && !fs.exists(new Path(out, MARKER))) {
                throw new IllegalArgumentException("Output " + out + " is not empty and was not written by dcsm-spark"
                        + " (no " + MARKER + " file): choose a new or empty folder; nothing there is overwritten");
            }
        }
        fs.mkdirs(out);
        Path marker = new Path(out, MARKER);
        if (!fs.exists(marker)) {
            HadoopFiles.writeAtomically(fs.getConf(), marker, ("Written by dcsm-spark; a re-run resumes it.\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A one-line summary of a report, for logs. */
    public static String summary(SegmentReport r) {
        return String.format(Locale.ROOT, "%d images: %d skipped (already ok), %d segmented, %d failed in %.1f s "
                        + "(Spark job %.1f s; per image: read %.1f ms, segment %.1f ms, write %.1f ms); rows in %s",
                r.images(), r.skipped(), r.succeeded(), r.failed(), r.seconds(), r.jobSeconds(), r.meanReadMs(),
                r.meanSegmentMs(), r.meanWriteMs(), r.table());
    }
}
