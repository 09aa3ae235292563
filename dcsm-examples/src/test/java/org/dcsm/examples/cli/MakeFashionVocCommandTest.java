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
