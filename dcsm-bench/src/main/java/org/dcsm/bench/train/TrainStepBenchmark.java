package org.dcsm.bench.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.backprop.net.Vgg16Fcn;
import org.dcsm.backprop.train.LabeledImage;
import org.dcsm.backprop.train.MultiLabelTrainer;
import org.dcsm.backprop.train.Optimizer;
import org.dcsm.core.ClassList;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of {@link MultiLabelTrainer} ({@link MultiLabelTrainer.Session#step}): batch assembly,
 * forward to fc8, mixed global pooling + sigmoid cross-entropy, backward to every weight, the SGD update.
 * {@code small}: {@link SmallVggFcn} with {@link MultiLabelTrainer#fromScratch()} (batch
 * normalisation, p = 0.5, learning rate 0.01); {@code vgg16}: {@link Vgg16Fcn} with
 * {@link MultiLabelTrainer#paper()} (no batch normalisation, dropout 0.5 before fc7/fc8, p = 1).
 * Seeded random images of {@code size}×{@code size}, scale 1 (no resampling), 10 classes. The PyTorch
 * baseline of the same step is {@code src/main/python/train_torch.py}; {@code bench-train.sh} runs both
 * and divides. Score: seconds per step; images/s = {@code batch} / score. {@code optimizer=adamw} replaces the
 * update by {@code dcsm train}'s default, AdamW (learning rate 0.003, decoupled weight decay 0.01 on weights,
 * β1 0.9), on either network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class TrainStepBenchmark {

    private static final int CLASSES = 10;

    /** {@code small} or {@code vgg16}. */
    @Param({"small"})
    public String net;

    /** Square input side, pixels. */
    @Param({"96"})
    public int size;

    /** Images per step. */
    @Param({"8"})
    public int batch;

    /** {@code sgd} (the preset's classical momentum) or {@code adamw} ({@code dcsm train}'s default). */
    @Param({"sgd"})
    public String optimizer;

    private MultiLabelTrainer.Session session;
    private List<LabeledImage> images;
    private double poolingWeight;

    @Setup(Level.Trial)
    public void setUp() {
        poolingWeight = poolingWeight(net);
        session = session(net, optimizer);
        images = images(batch, size, 3);
    }

    /**
     * A training session of one case: {@code net} ({@code small} or {@code vgg16}) with its preset, updated by
     * {@code optimizer} ({@code sgd}, the preset's, or {@code adamw}), on 10 classes; images keep their size.
     */
    static MultiLabelTrainer.Session session(String net, String optimizer) {
        MultiLabelTrainer.Builder builder = switch (net) {
            case "small" -> MultiLabelTrainer.fromScratch().toBuilder().learningRate(0.01);
            // longestSide(0): the preset rescales every image to 500 px; the benchmark trains at the given size, as
            // the PyTorch side does (before this, a "320 px" VGG-16 step ran on 500×500 canvases)
            case "vgg16" -> MultiLabelTrainer.paper().toBuilder().headOnlyIterations(0).longestSide(0);
            default -> throw new IllegalArgumentException("net must be small or vgg16, found " + net);
        };
        switch (optimizer) {
            case "sgd" -> { }
            case "adamw" -> builder.optimizer(Optimizer.ADAMW).learningRate(0.003).weightDecay(0.01).momentum(0.9);
            default -> throw new IllegalArgumentException("optimizer must be sgd or adamw, found " + optimizer);
        }
        return builder.build().session("small".equals(net) ? SmallVggFcn.architecture() : Vgg16Fcn.architecture(),
                ClassList.of(names()));
    }

    /** The max-pooling weight p of a case's loss: 0.5 for the small FCN (mid-ramp), 1 for VGG-16 (the paper's). */
    static double poolingWeight(String net) {
        return "small".equals(net) ? 0.5 : 1.0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
    }

    @Benchmark
    public double step() {
        return session.step(images, 1.0, poolingWeight);
    }

    /** {@code n} seeded random preprocessed images of {@code size}² with one to three of 10 classes. */
    static List<LabeledImage> images(int n, int size, long seed) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        java.util.Random labels = new java.util.Random(seed);
        List<LabeledImage> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] ids = labels.ints(1 + labels.nextInt(3), 1, CLASSES + 1).toArray();
            list.add(new LabeledImage(Nd4j.rand(rng, 3, size, size).castTo(DataType.FLOAT).muli(200).subi(100), ids));
        }
        return list;
    }

    static String[] names() {
        String[] names = new String[CLASSES + 1];
        names[0] = "background";
        for (int i = 1; i <= CLASSES; i++) {
            names[i] = "class" + i;
        }
        return names;
    }
}
