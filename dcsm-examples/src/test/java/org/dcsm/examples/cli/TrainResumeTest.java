package org.dcsm.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.train.TrainingListener;
import org.dcsm.backprop.train.LabeledImage;
import org.dcsm.core.voc.VocDataset;
import org.dcsm.examples.run.TrainingData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * {@code dcsm train --resume}: a run stopped after its first epoch (as by Ctrl-C) and resumed with the same
 * options saves the model that the uninterrupted run saves, bit for bit, and the folder checks name the
 * checkpoint.
 */
class TrainResumeTest {

    private static String[] args(Path voc, Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--no-progress", "--voc", voc.toString(), "--out",
                out.toString(), "--epochs", "2", "--widths", "4,4,8,8,8", "--optimizer", "adamw", "--learning-rate",
                "0.003", "--weight-decay", "0.01", "--batch-size", "4", "--warmup-epochs", "1", "--final-lr", "0.1"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void resumedRunSavesTheModelOfTheUninterruptedOne(@TempDir Path dir) throws Exception {
        Path voc = dir.resolve("voc");
        VocFixture.write(voc, 6, 3);
        Path straight = dir.resolve("straight");
        CliRunner full = CliRunner.run(args(voc, straight));
        assertThat(full.exitCode()).as(full.err()).isZero();
        assertThat(full.out()).contains("scored on 3 images of val").contains("validation mAP")
                .contains("img/s");
        assertThat(straight.resolve(TrainCommand.CHECKPOINT_FILE)).doesNotExist();

        // the same run, stopped after its first epoch's checkpoint as by Ctrl-C
        Path resumed = dir.resolve("resumed");
        TrainCommand cmd = new TrainCommand();
        String[] cli = args(voc, resumed);
        new CommandLine(cmd).parseArgs(java.util.Arrays.copyOfRange(cli, 1, cli.length));
        Files.createDirectories(resumed);
        List<LabeledImage> images = TrainingData.load(VocDataset.open(voc), "train",
                org.dcsm.core.pipeline.ProgressListener.none()).images();
        RuntimeException stop = assertThrows(RuntimeException.class, () -> cmd.trainerSettings()
                .resumableCheckpoint(resumed.resolve(TrainCommand.CHECKPOINT_FILE)).listener(new TrainingListener() {
                    @Override
                    public void checkpointSaved(int epoch, Path file) {
                        throw new IllegalStateException("stopped after epoch " + (epoch + 1));
                    }
                }).build().train(TrainCommand.smallArchitecture(new int[] {4, 4, 8, 8, 8}),
                        VocDataset.open(voc).classes(), images, null));
        assertThat(stop).hasMessage("stopped after epoch 1");

        CliRunner again = CliRunner.run(args(voc, resumed));
        assertThat(again.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(again.err()).contains("holds the checkpoint of an interrupted training").contains("--resume");
        String[] withOtherLr = args(voc, resumed, "--resume");
        withOtherLr[java.util.Arrays.asList(withOtherLr).indexOf("0.003")] = "0.001";
        CliRunner otherLr = CliRunner.run(withOtherLr);
        assertThat(otherLr.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(otherLr.err()).contains("learningRate = 0.003 in the checkpoint, 0.001 now");

        CliRunner resume = CliRunner.run(args(voc, resumed, "--resume"));
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(resume.out()).contains("Resuming after epoch 1 of 2").contains("epoch 2: loss")
                .doesNotContain("epoch 1: loss");
        assertThat(resumed.resolve(TrainCommand.CHECKPOINT_FILE)).doesNotExist();
        assertThat(FcnModel.load(resumed).network().params().toFloatVector())
                .containsExactly(FcnModel.load(straight).network().params().toFloatVector());
    }

    @Test
    void resumeWithoutACheckpointIsACommandLineError(@TempDir Path dir) throws Exception {
        Path voc = dir.resolve("voc");
        VocFixture.write(voc, 2, 0);
        CliRunner r = CliRunner.run(args(voc, dir.resolve("new"), "--resume"));
        assertThat(r.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(r.err()).contains("--resume").contains("holds no " + TrainCommand.CHECKPOINT_FILE);
    }

    @Test
    void badTrainingValuesNameTheirOptionAndExit2(@TempDir Path dir) {
        String[] base = {"train", "--no-progress", "--voc", dir.toString(), "--out", dir.resolve("m").toString()};
        for (String[] bad : new String[][] {{"--optimizer", "rmsprop", "Unknown optimizer 'rmsprop'"},
            {"--batch-size", "0", "--batch-size must be >= 1, found 0"},
            {"--final-lr", "2", "--final-lr must be in [0, 1], found 2.0"},
            {"--scale-range", "1", "--scale-range needs MIN,MAX"},
            {"--warmup-epochs", "30", "--warmup-epochs must be in 0..--epochs (20), found 30"}}) {
            CliRunner r = CliRunner.run(TrainCommandTest.concat(base, bad[0], bad[1]));
            assertThat(r.exitCode()).as(bad[0]).isEqualTo(DcsmCommand.USAGE);
            assertThat(r.err()).as(bad[0]).contains(bad[2]);
        }
    }
}
