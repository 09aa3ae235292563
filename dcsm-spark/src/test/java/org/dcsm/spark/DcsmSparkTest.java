package org.dcsm.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.dcsm.backprop.net.FcnModel;
import org.dcsm.core.LabelMap;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.core.io.ImageLoader;
import org.dcsm.core.io.LabelMapPng;
import org.dcsm.core.eval.SegmentationScores;
import org.dcsm.core.pipeline.Candidate;
import org.dcsm.core.pipeline.CrfGridSearch;
import org.dcsm.core.pipeline.ProgressListener;
import org.dcsm.core.pipeline.Segmentation;
import org.dcsm.core.voc.VocDataset;
import org.dcsm.core.voc.VocSample;
import org.dcsm.crf.CrfSettings;
import org.dcsm.crf.KernelNormalization;
import org.dcsm.pipeline.CrfTuning;
import org.dcsm.pipeline.DcsmPipelines;
import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodRunner;
import org.dcsm.pipeline.MethodSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link DcsmSpark} on a real local Spark session ({@code local[2,4]}: two task threads, a task may be tried four
 * times; speculative execution on) against the single-machine pipeline, on seeded synthetic VOC scenes.
 */
class DcsmSparkTest {

    @TempDir
    static Path tmp;

    private static SparkSession spark;
    private static FcnModel model;
    private static ModelBundle bundle;
    private static VocDataset voc;

    @BeforeAll
    static void start() throws IOException {
        SyntheticVoc.write(tmp.resolve("voc"), 12, 40, 32, 11);
        voc = VocDataset.builder(tmp.resolve("voc")).classes(SyntheticVoc.CLASSES).build();
        model = SyntheticVoc.model();
        bundle = ModelBundle.of(model);
        spark = SparkSession.builder().appName("dcsm-spark-test").master("local[2,4]")
                .config("spark.ui.enabled", "false")
                .config("spark.speculation", "true")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        ExecutorPipelines.clear();
    }

    @AfterEach
    void noHook() {
        SegmentPartition.hook = null;
    }

    private static SegmentSettings.Builder settings(Path out) {
        return SegmentSettings.builder().settings(SyntheticVoc.settings()).output(out.toUri().toString());
    }

    @Test
    void segmentEqualsSingleMachineImageByImage_failuresAreRows_andARerunResumes() throws IOException {
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(bad.resolve("garbage.jpg"), "not an image");
        byte[] jpeg = Files.readAllBytes(voc.sample("img000").imagePath());
        Files.write(bad.resolve("truncated.jpg"), java.util.Arrays.copyOf(jpeg, 60));
        List<ImageRef> refs = new ArrayList<>(ImageRef.voc(voc, "val"));
        refs.add(4, new ImageRef("garbage", bad.resolve("garbage.jpg").toUri().toString(), null));
        refs.add(5, new ImageRef("truncated", bad.resolve("truncated.jpg").toUri().toString(), null));
        refs.add(6, new ImageRef("missing", bad.resolve("missing.jpg").toUri().toString(), null));
        Path out = tmp.resolve("out-segment");

        DcsmSpark.SegmentReport r = DcsmSpark.segment(spark, bundle, refs, settings(out).partitions(3).build());

        assertThat(r.images()).isEqualTo(15);
        assertThat(r.succeeded()).isEqualTo(12);
        assertThat(r.failed()).isEqualTo(3);
        assertThat(r.failures()).hasSize(3).anySatisfy(f -> assertThat(f).startsWith("missing: ").contains("missing.jpg"));
        var pipeline = DcsmPipelines.from(model, SyntheticVoc.settings());
        List<Row> rows = spark.read().parquet(r.table()).collectAsList();
        assertThat(rows).hasSize(15);
        for (VocSample s : voc.samples("val")) {
            Segmentation expected = pipeline.segment(ImageLoader.defaults().read(s.imagePath()));
            LabelMap written = LabelMapPng.read(out.resolve("labels").resolve(s.id() + ".png"));
            assertThat(written).as(s.id()).isEqualTo(expected.labels());
            Row row = rows.stream().filter(x -> x.getString(0).equals(s.id())).findFirst().orElseThrow();
            assertThat(row.getString(2)).isEqualTo(SegmentRows.OK);
            List<Row> candidates = row.getList(6);
            assertThat(candidates).hasSize(expected.candidates().size());
            for (int j = 0; j < candidates.size(); j++) {
                Candidate c = expected.candidates().get(j);
                assertThat(candidates.get(j).getInt(0)).isEqualTo(c.classId());
                assertThat(candidates.get(j).getDouble(2)).isEqualTo(c.score());
            }
        }
        assertThat(rows.stream().filter(x -> x.getString(2).equals(SegmentRows.FAILED)).map(x -> x.getString(0)))
                .containsExactlyInAnyOrder("garbage", "truncated", "missing");
        assertThat(temporaries(out)).isEmpty();

        // resume: the ok ids are skipped, the failed ones tried again (and fail again)
        DcsmSpark.SegmentReport again = DcsmSpark.segment(spark, bundle, refs, settings(out).partitions(3).build());
        assertThat(again.skipped()).isEqualTo(12);
        assertThat(again.succeeded()).isZero();
        assertThat(again.failed()).isEqualTo(3);
        assertThat(spark.read().parquet(r.table()).count()).isEqualTo(18);
    }

    @Test
    void aTaskKilledAfterWritingSomeImagesIsRetriedWithoutDuplicateOrPartialOutput() throws IOException {
        SegmentPartition.hook = (task, id, index) -> {
            if (task.partitionId() == 0 && task.attemptNumber() == 0 && index == 1) {
                throw new IllegalStateException("injected task failure after " + id);
            }
        };
        List<ImageRef> refs = ImageRef.voc(voc, "val").subList(0, 8);
        Path out = tmp.resolve("out-retry");

        DcsmSpark.SegmentReport r = DcsmSpark.segment(spark, bundle, refs, settings(out).partitions(2).build());

        assertThat(r.succeeded()).isEqualTo(8);
        assertThat(r.failed()).isZero();
        List<Row> rows = spark.read().parquet(r.table()).collectAsList();
        assertThat(rows).hasSize(8);
        assertThat(rows.stream().map(x -> x.getString(0)).distinct()).hasSize(8);
        // partition 0's rows come from its second attempt only
        assertThat(rows.stream().filter(x -> x.getInt(11) == 1).count()).isEqualTo(4);
        assertThat(temporaries(out)).isEmpty();
        try (Stream<Path> s = Files.list(out.resolve("labels"))) {
            for (Path png : s.toList()) {
                LabelMapPng.read(png); // every file whole
            }
        }
        assertThat(Files.list(out.resolve("labels")).count()).isEqualTo(8);
    }

    @Test
    void evaluateSumsPartitionMatricesToTheSingleMachineCounts() throws IOException {
        Path badMask = tmp.resolve("bad-mask.png");
        Files.writeString(badMask, "not a png");
        List<ImageRef> refs = new ArrayList<>(ImageRef.voc(voc, "val"));
        refs.add(3, new ImageRef("badmask", refs.get(0).imageUri(), badMask.toUri().toString()));
        EnumSet<Method> methods = EnumSet.allOf(Method.class);
        MethodSettings settings = SyntheticVoc.settings();
        SegmentSettings s = settings(tmp.resolve("unused")).partitions(4).build();
        ExecutorPipelines.clear();
        int builtBefore = ExecutorPipelines.built();

        DcsmSpark.EvaluationReport r = DcsmSpark.evaluate(spark, bundle, refs, methods, s);

        // each of the two task threads built its pipelines once for the four partitions
        assertThat(ExecutorPipelines.built() - builtBefore).isBetween(1, 2);
        MethodRunner runner = MethodRunner.of(model, settings, s.baseline(), methods);
        Map<Method, ConfusionMatrix> expected = new EnumMap<>(Method.class);
        for (Method m : methods) {
            expected.put(m, ConfusionMatrix.of(model.classes()));
        }
        for (VocSample sample : voc.samples("val")) {
            MethodRunner.Result result = runner.run(sample.image());
            LabelMap truth = sample.mask();
            expected.forEach((m, cm) -> cm.add(truth, result.labels().get(m)));
        }
        assertThat(r.attempted()).isEqualTo(13);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.failures()).singleElement().asString().startsWith("badmask: ");
        for (Method m : methods) {
            assertThat(r.matrices().get(m).toArray()).as(m.cliName()).isDeepEqualTo(expected.get(m).toArray());
            assertThat(r.matrices().get(m).images()).isEqualTo(12);
            assertThat(r.matrices().get(m).scores().meanIou()).isEqualTo(expected.get(m).scores().meanIou());
        }
    }

    /**
     * Both stages on 12 images and a corrupt one, in 3 partitions, with 2 θ-groups × 2 weights and 2 alphas: every
     * point's counts equal the single-machine {@link CrfTuning#tune}'s, so the ranking and the best are the same.
     */
    @Test
    void tuneCrfSpreadsTheGridAndScoresEveryPointAsTheSingleMachineSearch() throws IOException {
        Path corrupt = tmp.resolve("corrupt.jpg");
        Files.writeString(corrupt, "not a jpeg");
        List<ImageRef> refs = new ArrayList<>(ImageRef.voc(voc, "val"));
        refs.add(5, new ImageRef("corrupt", corrupt.toUri().toString(), refs.get(0).maskUri()));
        List<Double> alphas = List.of(1.0, 8.0);
        List<CrfSettings> grid = new ArrayList<>();
        for (double thetaAlpha : List.of(5.0, 20.0)) {
            for (double w1 : List.of(1.0, 10.0)) {
                grid.add(new CrfSettings(w1, thetaAlpha, 15, 3, 3, 5, KernelNormalization.SYMMETRIC));
            }
        }
        assertThat(CrfTuning.thetaGroups(grid)).hasSize(2);
        MethodSettings settings = SyntheticVoc.settings();
        SegmentSettings s = settings(tmp.resolve("unused-tune")).partitions(3).build();

        CrfTuning.MethodResult got = DcsmSpark.tuneCrf(spark, bundle, refs, Method.DCSM, "val", alphas, grid, s,
                DcsmSpark.DEFAULT_MAX_SAMPLE_BYTES);

        List<CrfTuning.Item> items = new ArrayList<>();
        for (VocSample sample : voc.samples("val")) {
            items.add(new CrfTuning.Item() {
                @Override
                public String id() {
                    return sample.id();
                }

                @Override
                public INDArray image() throws IOException {
                    return sample.image();
                }

                @Override
                public LabelMap mask() throws IOException {
                    return sample.mask();
                }
            });
        }
        CrfTuning.MethodResult expected = CrfTuning.tune(model, Method.DCSM, settings, "val", items, alphas, grid,
                ProgressListener.none(), ProgressListener.none());

        assertThat(got.images()).isEqualTo(12);
        assertThat(got.loading().succeeded()).isEqualTo(12);
        assertThat(got.loading().failures()).singleElement().satisfies(f -> assertThat(f.id()).isEqualTo("corrupt"));
        assertThat(got.ranked()).hasSize(alphas.size() * grid.size());
        assertThat(got.ranked().stream().map(CrfGridSearch.Score::params).toList())
                .isEqualTo(expected.ranked().stream().map(CrfGridSearch.Score::params).toList());
        for (int i = 0; i < got.ranked().size(); i++) {
            SegmentationScores g = got.ranked().get(i).scores();
            SegmentationScores e = expected.ranked().get(i).scores();
            for (int c = 0; c < model.classes().size(); c++) {
                assertThat(g.truePositives(c)).as("%s class %d", got.ranked().get(i).params(), c)
                        .isEqualTo(e.truePositives(c));
                assertThat(g.predictedPixels(c)).isEqualTo(e.predictedPixels(c));
                assertThat(g.groundTruthPixels(c)).isEqualTo(e.groundTruthPixels(c));
            }
            assertThat(g.voidPixels()).isEqualTo(e.voidPixels());
            assertThat(g.images()).isEqualTo(12);
            assertThat(g.meanIou()).isEqualTo(e.meanIou());
        }
        assertThat(got.best().params()).isEqualTo(expected.best().params());
        assertThat(got.summary()).isEqualTo(expected.summary());
        // the grid mattered: the points do not all score alike
        assertThat(got.ranked().stream().mapToDouble(CrfGridSearch.Score::meanIou).distinct().count()).isGreaterThan(1);
    }

    @Test
    void tuneCrfRefusesABadSearchAndASplitWithoutAUsableImage() throws IOException {
        SegmentSettings s = settings(tmp.resolve("unused-refuse")).build();
        List<CrfSettings> grid = List.of(CrfSettings.paper());
        assertThat(assertThrows(IllegalArgumentException.class, () -> DcsmSpark.tuneCrf(spark, bundle, List.of(),
                Method.DCSM_NOCRF, "val", List.of(3.0), grid, s, 1))).hasMessageContaining("has no CRF to tune");
        assertThat(assertThrows(IllegalArgumentException.class, () -> DcsmSpark.tuneCrf(spark, bundle, List.of(),
                Method.DCSM, "val", List.of(3.0), List.of(), s, 1)))
                .hasMessage("At least one CRF setting must be searched, found none");
        List<ImageRef> refs = List.of(ImageRef.voc(voc, "val").get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DcsmSpark.tuneCrf(spark, bundle,
                refs, Method.DCSM, "val", List.of(3.0), grid, s, 1000));
        assertThat(e).hasMessageContaining("No image could be used for tuning").hasMessageContaining("img000")
                .hasMessageContaining("more than the limit of 1000");
    }

    @Test
    void refusesAFolderItDidNotWrite() throws IOException {
        Path mine = Files.createDirectories(tmp.resolve("user-folder"));
        Files.writeString(mine.resolve("thesis.tex"), "precious");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DcsmSpark.segment(spark, bundle, ImageRef.voc(voc, "val"), settings(mine).build()));
        assertThat(e).hasMessageContaining("was not written by dcsm-spark").hasMessageContaining(DcsmSpark.MARKER);
        assertThat(Files.readString(mine.resolve("thesis.tex"))).isEqualTo("precious");
    }

    private static List<Path> temporaries(Path out) throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(p -> p.getFileName().toString().startsWith(HadoopFiles.TEMP_PREFIX)).toList();
        }
    }
}
