package org.dcsm.backprop.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.backprop.net.VggStyleFcn;
import org.dcsm.core.ClassList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class MultiLabelTrainerTest {

    private static final VggStyleFcn TINY = SmallVggFcn.architecture().toBuilder()
            .blockWidths(4, 8).blockDepths(1, 1).fc6Width(8).fc7Width(8).build();
    private static final ClassList CLASSES = ClassList.of("background", "square", "disc");

    @Test
    void presetsHoldThePapersValues() {
        MultiLabelTrainer paper = MultiLabelTrainer.paper();
        assertThat(paper.batchSize()).isEqualTo(2);
        assertThat(paper.learningRate()).isEqualTo(1e-5);
        assertThat(paper.momentum()).isEqualTo(0.9);
        assertThat(paper.weightDecay()).isEqualTo(5e-4);
        assertThat(paper.headOnlyIterations()).isEqualTo(30_000);
        assertThat(paper.maxIterations()).isEqualTo(50_000);
        assertThat(paper.batchNorm()).isFalse();
        assertThat(paper.maxPoolingWeight(0)).isEqualTo(1.0);
        MultiLabelTrainer scratch = MultiLabelTrainer.fromScratch();
        assertThat(scratch.batchNorm()).isTrue();
        // average for epochs 0-1, ramp 1/5 .. 4/5 over epochs 2-5, max from epoch 6
        assertThat(scratch.maxPoolingWeight(1)).isEqualTo(0.0);
        assertThat(scratch.maxPoolingWeight(2)).isEqualTo(0.2);
        assertThat(scratch.maxPoolingWeight(5)).isEqualTo(0.8);
        assertThat(scratch.maxPoolingWeight(6)).isEqualTo(1.0);
    }

    @Test
    @SuppressWarnings("removal")
    void builderHoldsThePapersSettingsAndToBuilderRoundTrips(@TempDir Path dir) {
        assertThat(MultiLabelTrainer.builder().build().settings()).isEqualTo(MultiLabelTrainer.paper().settings());
        assertThat(MultiLabelTrainer.paperPreset().build().settings()).isEqualTo(MultiLabelTrainer.paper().settings());
        assertThat(MultiLabelTrainer.fromScratchPreset().build().settings())
                .isEqualTo(MultiLabelTrainer.fromScratch().settings());
        assertThat(MultiLabelTrainer.paper().settings()).isNotEqualTo(MultiLabelTrainer.fromScratch().settings());
        MultiLabelTrainer custom = MultiLabelTrainer.fromScratch().toBuilder().epochs(5).batchSize(3)
                .optimizer(Optimizer.ADAMW).warmupCosine(1, 0.1).scaleRange(0.8, 1.2).horizontalFlip(true).seed(9)
                .checkpoints(2, dir).resumableCheckpoint(dir.resolve("t.ckpt")).build();
        MultiLabelTrainer copy = custom.toBuilder().build();
        assertThat(copy.settings()).isEqualTo(custom.settings());
        assertThat(copy.optimizer()).isEqualTo(Optimizer.ADAMW);
        assertThat(copy.epochs()).isEqualTo(5);
        assertThat(copy.batchSize()).isEqualTo(3);
        assertThat(copy.maxPoolingWeight(3)).isEqualTo(custom.maxPoolingWeight(3));
    }

    @Test
    void headOnlyPhaseLeavesTheBodyUnchangedAndCheckpointsAreWritten(@TempDir Path dir) throws Exception {
        List<LabeledImage> data = SyntheticShapes.generate(8, 16, 2, 3);
        FcnModel initial = FcnModel.initialise(TINY, CLASSES, 1);
        INDArray conv11 = initial.network().getLayer("conv1_1").getParam("W").dup();
        INDArray fc6 = initial.network().getLayer("fc6").getParam("W").dup();
        List<Path> checkpoints = new ArrayList<>();
        MultiLabelTrainer trainer = MultiLabelTrainer.paper().toBuilder().learningRate(0.01).longestSide(0).batchSize(4)
                .headOnlyIterations(4).maxIterations(4).checkpoints(1, dir).listener(new TrainingListener() {
                    @Override
                    public void checkpointSaved(int epoch, Path d) {
                        checkpoints.add(d);
                    }
                }).build();
        FcnModel trained = trainer.train(initial, data, null);
        assertThat(floats(trained.network().getLayer("conv1_1").getParam("W"))).containsExactly(floats(conv11));
        assertThat(maxAbsDiff(trained.network().getLayer("fc6").getParam("W"), fc6)).isGreaterThan(1e-4);
        assertThat(floats(initial.network().getLayer("fc6").getParam("W"))).containsExactly(floats(fc6));
        assertThat(checkpoints).containsExactly(dir.resolve("epoch-001"), dir.resolve("epoch-002"));
        FcnModel reloaded = FcnModel.load(dir.resolve("epoch-002"));
        assertThat(floats(reloaded.network().params())).containsExactly(floats(trained.network().params()));
    }

    @Test
    void allLayersTrainAfterTheHeadOnlyPhase() {
        List<LabeledImage> data = SyntheticShapes.generate(4, 16, 2, 4);
        FcnModel initial = FcnModel.initialise(TINY, CLASSES, 1);
        INDArray conv11 = initial.network().getLayer("conv1_1").getParam("W").dup();
        FcnModel trained = MultiLabelTrainer.paper().toBuilder().learningRate(0.01).longestSide(0).batchSize(2)
                .headOnlyIterations(1).maxIterations(3).build().train(initial, data, null);
        assertThat(maxAbsDiff(trained.network().getLayer("conv1_1").getParam("W"), conv11)).isGreaterThan(1e-6);
    }

    @Test
    void sameSeedAndThreadCountGiveTheSameLossesAndWeights() {
        List<LabeledImage> data = SyntheticShapes.generate(12, 24, 2, 5);
        List<Double> first = new ArrayList<>();
        List<Double> second = new ArrayList<>();
        FcnModel a = deterministicRun(data, first);
        FcnModel b = deterministicRun(data, second);
        assertThat(first).hasSize(9).doesNotHaveDuplicates();
        assertThat(second).containsExactlyElementsOf(first);
        assertThat(floats(b.network().params())).containsExactly(floats(a.network().params()));
    }

    private static FcnModel deterministicRun(List<LabeledImage> data, List<Double> losses) {
        return MultiLabelTrainer.fromScratch().toBuilder().epochs(3).batchSize(4).learningRate(0.05).poolingRamp(1, 2)
                .seed(7).listener(new TrainingListener() {
                    @Override
                    public void iterationDone(int epoch, long iteration, double loss) {
                        losses.add(loss);
                    }
                }).build().train(TINY, CLASSES, data, null);
    }

    @Test
    void badDataIsNamed() {
        MultiLabelTrainer trainer = MultiLabelTrainer.fromScratch().toBuilder().epochs(1).build();
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> trainer.train(TINY, CLASSES, List.of(), null)).getMessage())
                .isEqualTo("training data is empty");
        List<LabeledImage> unknown = SyntheticShapes.generate(2, 16, 4, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.train(TINY, CLASSES, unknown, null));
        assertThat(e.getMessage()).contains("training data: class id").contains("outside 1..2");
    }

    @Test
    void builderRejectsBadValues() {
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MultiLabelTrainer.builder().learningRate(-1).build()).getMessage())
                .isEqualTo("learningRate must be > 0 and finite, found -1.0");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MultiLabelTrainer.builder().momentum(1).build()).getMessage())
                .isEqualTo("momentum must be in [0, 1), found 1.0");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MultiLabelTrainer.builder().scaleRange(1.4, 0.7).build()).getMessage())
                .isEqualTo("scaleRange needs 0 < min <= max, found (1.4, 0.7)");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MultiLabelTrainer.builder().batchSize(0).build()).getMessage())
                .isEqualTo("batchSize must be >= 1, found 0");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MultiLabelTrainer.builder().poolingRamp(3, 1).build()).getMessage())
                .isEqualTo("poolingRamp needs 0 <= averageEpochs <= maxFromEpoch, found (3, 1)");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MultiLabelTrainer.builder().checkpoints(2, null).build()).getMessage())
                .isEqualTo("checkpoint directory must be given when checkpointing every 2 epochs");
    }

    private static float[] floats(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }
}
