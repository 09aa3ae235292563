package org.dcsm.backprop.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.backprop.net.VggStyleFcn;
import org.dcsm.core.ClassList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupted run resumed from its checkpoint gives, to the last bit, the weights of the run that was
 * never interrupted, for both optimisers and with the warm-up + cosine schedule; hostile and mismatched
 * checkpoints are refused with a message that names the problem.
 */
class ResumeTrainingTest {

    private static final VggStyleFcn TINY = SmallVggFcn.architecture().toBuilder()
            .blockWidths(4, 8).blockDepths(1, 1).fc6Width(8).fc7Width(8).build();
    private static final ClassList CLASSES = ClassList.of("background", "square", "disc");

    private static MultiLabelTrainer.Builder trainer(Optimizer optimizer, Path checkpoint) {
        return MultiLabelTrainer.fromScratch().toBuilder().optimizer(optimizer)
                .learningRate(optimizer == Optimizer.ADAMW ? 3e-3 : 0.05).weightDecay(optimizer == Optimizer.ADAMW
                        ? 0.01 : 5e-4)
                .batchSize(4).epochs(3).poolingRamp(1, 2).warmupCosine(1, 0.1).horizontalFlip(true).seed(11)
                .resumableCheckpoint(checkpoint);
    }

    @Test
    void resumedSgdRunEqualsTheUninterruptedOne(@TempDir Path dir) throws IOException {
        assertResumeIsExact(Optimizer.SGD, dir);
    }

    @Test
    void resumedAdamWRunEqualsTheUninterruptedOne(@TempDir Path dir) throws IOException {
        assertResumeIsExact(Optimizer.ADAMW, dir);
    }

    private static void assertResumeIsExact(Optimizer optimizer, Path dir) throws IOException {
        List<LabeledImage> data = SyntheticShapes.generate(10, 16, 2, 3);
        Path live = dir.resolve("live.ckpt");
        Path afterFirstEpoch = dir.resolve("after-epoch-1.ckpt");
        List<Double> losses = new ArrayList<>();
        FcnModel straight = trainer(optimizer, live).listener(new TrainingListener() {
            @Override
            public void iterationDone(int epoch, long iteration, double loss) {
                losses.add(loss);
            }

            @Override
            public void checkpointSaved(int epoch, Path file) {
                if (epoch == 0) {
                    try {
                        Files.copy(file, afterFirstEpoch, StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        }).build().train(TINY, CLASSES, data, null);

        TrainingCheckpoint c = TrainingCheckpoint.read(afterFirstEpoch);
        assertThat(c.completedEpochs()).isEqualTo(1);
        assertThat(c.iteration()).isEqualTo(3); // 10 images in batches of 4
        assertThat(c.architecture()).isEqualTo(TINY);
        assertThat(c.classes()).isEqualTo(CLASSES);
        assertThat(c.settings()).containsEntry("optimizer", optimizer.id());

        List<Double> resumedLosses = new ArrayList<>();
        FcnModel resumed = trainer(optimizer, dir.resolve("resumed.ckpt")).listener(new TrainingListener() {
            @Override
            public void iterationDone(int epoch, long iteration, double loss) {
                resumedLosses.add(loss);
            }
        }).build().resume(afterFirstEpoch, data, null);
        assertThat(resumedLosses).containsExactlyElementsOf(losses.subList(3, losses.size()));
        assertThat(resumed.network().params().toFloatVector())
                .containsExactly(straight.network().params().toFloatVector());
        assertThat(resumed.trainingInputSize()).isEqualTo(straight.trainingInputSize());
        assertThat(TrainingCheckpoint.read(live).completedEpochs()).isEqualTo(3);
    }

    @Test
    void otherSettingsOrOtherDataAreRefusedByName(@TempDir Path dir) throws IOException {
        List<LabeledImage> data = SyntheticShapes.generate(8, 16, 2, 3);
        Path ckpt = dir.resolve("run.ckpt");
        trainer(Optimizer.SGD, ckpt).epochs(1).warmupCosine(0, 0.1).build().train(TINY, CLASSES, data, null);
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class,
                () -> trainer(Optimizer.SGD, null).epochs(1).warmupCosine(0, 0.1).learningRate(0.02).build()
                        .resume(ckpt, data, null));
        assertThat(lr.getMessage()).contains("learningRate = 0.05 in the checkpoint, 0.02 now");
        IllegalArgumentException fewer = assertThrows(IllegalArgumentException.class,
                () -> trainer(Optimizer.SGD, null).epochs(1).warmupCosine(0, 0.1).build()
                        .resume(ckpt, data.subList(0, 7), null));
        assertThat(fewer.getMessage()).contains("8 training images").contains("has 7");
    }

    @Test
    void hostileCheckpointsAreRefusedBeforeAnyAllocation(@TempDir Path dir) throws IOException {
        List<LabeledImage> data = SyntheticShapes.generate(4, 16, 2, 3);
        Path ckpt = dir.resolve("run.ckpt");
        trainer(Optimizer.SGD, ckpt).epochs(1).warmupCosine(0, 0.1).build().train(TINY, CLASSES, data, null);
        byte[] good = Files.readAllBytes(ckpt);

        assertRefused(dir, "not-one.ckpt", "PK\u0003\u0004 a zip".getBytes(), "is not a dcsm training checkpoint");
        assertRefused(dir, "truncated.ckpt", Arrays.copyOf(good, good.length - 9), "Truncated training checkpoint");
        byte[] flipped = good.clone();
        flipped[flipped.length - 20] ^= 1; // a weight
        assertRefused(dir, "flipped.ckpt", flipped, "checksum mismatch");
        byte[] longHeader = good.clone();
        ByteBuffer.wrap(longHeader).putInt(TrainingCheckpoint.MAGIC.length(), Integer.MAX_VALUE);
        assertRefused(dir, "header.ckpt", longHeader, "header length 2147483647");
        // a parameter count of 2^40: refused from the file's size, nothing allocated
        int countAt = indexOfParamCount(good);
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).putLong(countAt, 1L << 40);
        assertRefused(dir, "huge.ckpt", huge, "1099511627776 parameters do not fit");
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertRefused(dir, "trailing.ckpt", trailing, "bytes after the checksum");
    }

    private static int indexOfParamCount(byte[] file) {
        int headerLength = ByteBuffer.wrap(file).getInt(TrainingCheckpoint.MAGIC.length());
        return TrainingCheckpoint.MAGIC.length() + 4 + headerLength;
    }

    private static void assertRefused(Path dir, String name, byte[] content, String message) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        IOException e = assertThrows(IOException.class, () -> TrainingCheckpoint.read(f));
        assertThat(e.getMessage()).contains(message).contains(name);
    }
}
