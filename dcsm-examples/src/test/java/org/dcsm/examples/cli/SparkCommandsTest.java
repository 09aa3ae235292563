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
 * {@code dcsm spark-evaluate} and {@code spark-segment} on a local Spark ({@code --master local[2]}, in-process as
 * spark-submit would run them) against {@code dcsm evaluate} and {@code segment} on the same synthetic VOC folder
 * and a random-initialised five-block FCN (only equality matters here): the same per-class table and mIoU line,
 * the same palette PNGs.
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
