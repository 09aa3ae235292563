package org.dcsm.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.dcsm.backprop.net.VggStyleFcn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    @Test
    void widthsSetTheFiveBlocksAndTheHead() {
        VggStyleFcn a = TrainCommand.smallArchitecture(new int[] {8, 16, 32, 64, 48});
        assertThat(a.blockWidths()).containsExactly(8, 16, 32, 64, 48);
        assertThat(a.fc6Width()).isEqualTo(48);
        assertThat(TrainCommand.smallArchitecture(null).blockWidths()).containsExactly(16, 32, 64, 128, 128);
        assertThatThrownBy(() -> TrainCommand.smallArchitecture(new int[] {8, 16, 32}))
                .hasMessage("--widths needs the channels of the 5 blocks, found 3 values");
        assertThatThrownBy(() -> TrainCommand.smallArchitecture(new int[] {8, 16, 0, 64, 64}))
                .hasMessage("--widths must be >= 1, found 0");
    }

    @Test
    void badLearningRateOrWidthsAreErrorsThatNameTheOption(@TempDir Path dir) {
        String[] base = {"train", "--no-progress", "--voc", dir.toString(), "--out", dir.resolve("m").toString()};
        CliRunner lr = CliRunner.run(concat(base, "--learning-rate", "-1"));
        assertThat(lr.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(lr.err()).contains("--learning-rate must be > 0 and finite, found -1.0");
        CliRunner vgg = CliRunner.run(concat(base, "--arch", "vgg16", "--widths", "8,8,8,8,8"));
        assertThat(vgg.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(vgg.err()).contains("--widths applies to --arch small only");
        CliRunner epochs = CliRunner.run(concat(base, "--epochs", "0"));
        assertThat(epochs.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(epochs.err()).contains("--epochs must be >= 1, found 0");
        assertThat(dir.resolve("m")).as("checked before the output folder").doesNotExist();
    }

    @Test
    void backgroundOnlyImagesAreCountedAndSaid(@TempDir Path dir) throws java.io.IOException {
        Path voc = dir.resolve("voc");
        VocFixture.write(voc, 3, 0);
        String id = java.nio.file.Files.readAllLines(voc.resolve("ImageSets/Segmentation/train.txt")).get(0);
        java.nio.file.Files.writeString(voc.resolve("Annotations/" + id + ".xml"), "<annotation></annotation>");
        CliRunner r = CliRunner.run("train", "--no-progress", "--voc", voc.toString(), "--out",
                dir.resolve("m").toString(), "--epochs", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Training SmallVggFcn on 2 images", "Skipped 1 image(s) with no foreground class");
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
