package org.dcsm.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.dcsm.core.io.LabelMapPng;
import org.dcsm.examples.data.FashionMnistTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MakeFashionVocCommandTest {

    @TempDir
    Path dir;

    @Test
    void helpDescribesTheCommand() {
        CliRunner r = CliRunner.run("make-fashion-voc", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: dcsm make-fashion-voc", "--out=DIR", "--fashion-dir=DIR", "--train=N");
    }

    @Test
    void writesAVocFolder() throws IOException {
        Path fashion = FashionMnistTestData.writeTiny(dir.resolve("fm"));
        Path out = dir.resolve("voc");
        CliRunner r = CliRunner.run("make-fashion-voc", "--no-progress", "--fashion-dir", fashion.toString(),
                "--out", out.toString(), "--train", "5", "--val", "3", "--size", "48");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Wrote 5 train and 3 val scenes");
        assertThat(Files.readAllLines(out.resolve("ImageSets/Segmentation/train.txt"))).hasSize(5);
        assertThat(Files.readAllLines(out.resolve("ImageSets/Segmentation/val.txt"))).hasSize(3)
                .allMatch(id -> id.startsWith("val_"));
        assertThat(ClassList.read(out.resolve("classes.txt")).size()).isEqualTo(11);
        LabelMap mask = LabelMapPng.read(out.resolve("SegmentationClass/fashion_000000.png"));
        assertThat(mask.width()).isEqualTo(48);
        assertThat(mask.distinctIds().length).isGreaterThan(1);
        assertThat(out.resolve("JPEGImages/val_fashion_000002.jpg")).isRegularFile();
    }

    @Test
    void photoStyleWritesGreyItemsOnBlack() throws IOException {
        Path fashion = FashionMnistTestData.writeTiny(dir.resolve("fm"));
        Path out = dir.resolve("voc");
        CliRunner r = CliRunner.run("make-fashion-voc", "--no-progress", "--fashion-dir", fashion.toString(),
                "--out", out.toString(), "--train", "3", "--val", "1", "--size", "48", "--style", "photo");
        assertThat(r.exitCode()).as(r.err()).isZero();
        LabelMap mask = LabelMapPng.read(out.resolve("SegmentationClass/fashion_000000.png"));
        java.awt.image.BufferedImage jpeg = javax.imageio.ImageIO.read(out.resolve("JPEGImages/fashion_000000.jpg").toFile());
        long background = 0;
        long sum = 0;
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 48; x++) {
                if (mask.get(x, y) == 0) {
                    int rgb = jpeg.getRGB(x, y);
                    sum += ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255);
                    background++;
                }
            }
        }
        assertThat(background).isPositive();
        // black up to JPEG ringing near the items
        assertThat((double) sum / (3 * background)).isLessThan(8.0);
    }

    @Test
    void classSubsetIsWrittenAsTheFolderClassList() throws IOException {
        Path fashion = FashionMnistTestData.writeTiny(dir.resolve("fm"));
        Path out = dir.resolve("voc");
        CliRunner r = CliRunner.run("make-fashion-voc", "--no-progress", "--fashion-dir", fashion.toString(),
                "--out", out.toString(), "--train", "6", "--val", "2", "--size", "48", "--style", "photo",
                "--fashion-classes", "bag,trouser,boot");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(ClassList.read(out.resolve("classes.txt")).names())
                .containsExactly("background", "bag", "trouser", "boot");
        for (String id : Files.readAllLines(out.resolve("ImageSets/Segmentation/train.txt"))) {
            int[] ids = LabelMapPng.read(out.resolve("SegmentationClass/" + id + ".png")).distinctIds();
            assertThat(java.util.Arrays.stream(ids).max().orElseThrow()).as(id).isBetween(1, 3);
        }
    }

    @Test
    void unknownFashionClassIsAnErrorNamingIt() throws IOException {
        Path fashion = FashionMnistTestData.writeTiny(dir.resolve("fm"));
        CliRunner r = CliRunner.run("make-fashion-voc", "--no-progress", "--fashion-dir", fashion.toString(),
                "--out", dir.resolve("voc").toString(), "--fashion-classes", "bag,scarf");
        assertThat(r.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(r.err()).contains("Unknown Fashion-MNIST class 'scarf'");
    }

    @Test
    void unknownStyleIsAnErrorNamingIt() {
        Path out = dir.resolve("voc");
        CliRunner r = CliRunner.run("make-fashion-voc", "--no-progress", "--out", out.toString(), "--style", "sepia");
        assertThat(r.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(r.err()).contains("Unknown --style 'sepia'; known: tinted, photo");
        CliRunner small = CliRunner.run("make-fashion-voc", "--no-progress", "--out", out.toString(), "--size", "8");
        assertThat(small.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(small.err()).contains("--size must be in 32..1024, found 8");
        CliRunner synthetic = CliRunner.run("make-synthetic-voc", "--no-progress", "--out", out.toString(), "--val",
                "-1");
        assertThat(synthetic.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(synthetic.err()).contains("--train and --val must be >= 0, found 480 and -1");
    }

    @Test
    void missingDatasetIsAnErrorNamingTheFile() {
        CliRunner r = CliRunner.run("make-fashion-voc", "--no-progress", "--fashion-dir", dir.resolve("none").toString(),
                "--out", dir.resolve("voc").toString());
        assertThat(r.exitCode()).isEqualTo(DcsmCommand.ERROR);
        assertThat(r.err()).contains("Fashion-MNIST file not found", "train-images-idx3-ubyte.gz");
    }

    @Test
    void badOptionIsAUsageError() {
        CliRunner r = CliRunner.run("make-fashion-voc", "--train", "many");
        assertThat(r.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(r.err()).contains("Invalid value for option '--train'");
    }
}
