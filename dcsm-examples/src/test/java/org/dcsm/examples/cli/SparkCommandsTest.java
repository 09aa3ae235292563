package org.dcsm.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.core.ClassList;
import org.dcsm.core.io.LabelMapPng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dcsm spark-evaluate}, {@code spark-segment} and {@code spark-tune-crf} on a local Spark
 * ({@code --master local[2]}, in-process as spark-submit would run them) against {@code dcsm evaluate},
 * {@code segment} and {@code tune-crf} on the same synthetic VOC folder and a random-initialised five-block FCN (only
 * equality matters here): the same per-class table and mIoU line, the same palette PNGs, the same tuning report and
 * crf.properties.
 */
class SparkCommandsTest {

    @TempDir
    static Path dir;

    static Path voc;
    static Path model;

    @BeforeAll
    static void data() throws IOException {
        voc = dir.resolve("voc");
        VocFixture.write(voc, 0, 6);
        model = dir.resolve("model");
        FcnModel.initialise(SmallVggFcn.architecture(4, 4, 8, 8, 8),
                ClassList.read(voc.resolve("classes.txt")), 5).save(model);
    }

    @Test
    void sparkEvaluatePrintsTheSameScoresAsEvaluate() {
        String[] common = {"--no-progress", "--voc", voc.toString(), "--model", model.toString(), "--compare",
                "--scales", "40"};
        CliRunner single = CliRunner.run(concat(new String[] {"evaluate"}, common));
        CliRunner spark = CliRunner.run(concat(new String[] {"spark-evaluate", "--master", "local[2]",
                "--partitions", "3"}, common));
        assertThat(single.exitCode()).as(single.err()).isZero();
        assertThat(spark.exitCode()).as(spark.err()).isZero();
        assertThat(tables(spark.out())).isEqualTo(tables(single.out()));
        assertThat(last(spark.out())).isEqualTo(last(single.out())).matches("mIoU: \\d+\\.\\d\\d");
    }

    @Test
    void sparkSegmentWritesTheSamePalettePngsAsSegment() throws IOException {
        Path images = voc.resolve("JPEGImages");
        Path out = dir.resolve("segment");
        Path sparkOut = dir.resolve("spark-segment");
        CliRunner single = CliRunner.run("segment", "--no-progress", "--model", model.toString(), "--scales", "40",
                "--out", out.toString(), images.toString());
        CliRunner spark = CliRunner.run("spark-segment", "--master", "local[2]", "--model", model.toString(),
                "--scales", "40", "--out", sparkOut.toString(), images.toString());
        assertThat(single.exitCode()).as(single.err()).isZero();
        assertThat(spark.exitCode()).as(spark.err()).isZero();
        assertThat(spark.out()).contains("6 images: 0 skipped (already ok), 6 segmented, 0 failed");
        try (var files = Files.list(images)) {
            for (Path image : files.toList()) {
                String stem = image.getFileName().toString().replaceFirst("\\.jpg$", "");
                assertThat(LabelMapPng.read(sparkOut.resolve("labels").resolve(stem + ".png")))
                        .as(stem).isEqualTo(LabelMapPng.read(out.resolve(stem + ".png")));
            }
        }
        CliRunner again = CliRunner.run("spark-segment", "--master", "local[2]", "--model", model.toString(),
                "--scales", "40", "--out", sparkOut.toString(), images.toString());
        assertThat(again.out()).contains("6 images: 6 skipped (already ok), 0 segmented, 0 failed");
    }

    @Test
    void sparkTuneCrfReportsAndWritesWhatTuneCrfDoes() throws IOException {
        Path single = copyOf(model, dir.resolve("model-tune"));
        Path spark = copyOf(model, dir.resolve("model-spark-tune"));
        String[] search = {"--no-progress", "--voc", voc.toString(), "--split", "val", "--scales", "40", "--method",
                "dcsm", "--alphas", "3,8", "--normalizations", "symmetric", "--w1", "1,5", "--theta-alpha", "10,30",
                "--theta-beta", "10", "--w2", "3"};
        CliRunner a = CliRunner.run(concat(new String[] {"tune-crf", "--model", single.toString()}, search));
        CliRunner b = CliRunner.run(concat(new String[] {"spark-tune-crf", "--master", "local[2]", "--partitions",
                "2", "--model", spark.toString()}, search));
        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(b.out()).contains("DCSM + CRF on Spark: 6 images, 5 CRF settings x 2 alphas")
                .containsPattern("Tuned DCSM \\+ CRF: 6 images x 10 points in \\d+\\.\\d s");
        assertThat(report(b.out())).isEqualTo(report(a.out())).isNotEmpty();
        assertThat(properties(spark.resolve("crf.properties"))).isEqualTo(properties(single.resolve("crf.properties")));
        assertThat(spark.resolve("crf-simonyan.properties")).doesNotExist();
    }

    /** The report lines of tune-crf: from the method's summary line on, without the path of the file written. */
    private static List<String> report(String out) {
        List<String> lines = out.lines().toList();
        int from = 0;
        while (from < lines.size() && !lines.get(from).startsWith("DCSM + CRF: ")) {
            from++;
        }
        return lines.subList(from, lines.size()).stream().filter(l -> !l.startsWith("Wrote ")).toList();
    }

    /** A properties file without its comment lines (the date). */
    private static List<String> properties(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.startsWith("#")).toList();
    }

    private static Path copyOf(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    /** The score tables: from the first table line on, without the timing line that only Spark prints. */
    private static List<String> tables(String out) {
        List<String> lines = out.lines().toList();
        int from = 0;
        while (from < lines.size() && !lines.get(from).isBlank()) {
            from++;
        }
        return lines.subList(from, lines.size()).stream().filter(l -> !l.contains(" s per image")).toList();
    }

    private static String last(String out) {
        List<String> lines = out.lines().toList();
        return lines.get(lines.size() - 1);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
