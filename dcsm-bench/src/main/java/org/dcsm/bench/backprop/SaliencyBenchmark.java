package org.dcsm.bench.backprop;

import java.util.concurrent.TimeUnit;

import org.dcsm.backprop.saliency.SaliencyExtractor;
import org.dcsm.backprop.saliency.SaliencyResult;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The saliency step of paper §3.3 for one image: {@link SaliencyExtractor#extract(INDArray, int...)}
 * on a VGG-16 FCN (or the small FCN) with random weights, one scale, the nine convolutions of blocks
 * 3-5, guided back-propagation, {@code candidates} classes as one batch — forward pass, batched
 * backward pass to conv3_1, channel max and bilinear up-sampling of the nine maps, ClassMaps assembly.
 * {@code dl4jOutput} is DL4J's own {@code MultiLayerNetwork.output} of the same image for comparison
 * (forward only). The PyTorch baseline of the same computation is
 * {@code src/main/python/saliency_torch.py}; {@code bench-backprop.sh} runs both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=4G"})
public class SaliencyBenchmark {

    /** {@code vgg16} or {@code small}. */
    @Param({"vgg16", "small"})
    public String net;

    /** Square input side, pixels. */
    @Param({"500"})
    public int size;

    /** Number of candidate classes back-propagated as one batch. */
    @Param({"3"})
    public int candidates;

    private MultiLayerNetwork model;
    private SaliencyExtractor extractor;
    private INDArray image;
    private int[] classIds;

    @Setup(Level.Trial)
    public void setUp() {
        model = switch (net) {
            case "vgg16" -> BenchNets.vgg16Fcn(20, 1);
            case "small" -> BenchNets.smallFcn(20, 1);
            default -> throw new IllegalArgumentException("net must be vgg16 or small, found " + net);
        };
        extractor = SaliencyExtractor.forNetwork(model).layers(SaliencyExtractor.PAPER_LAYERS).guided(true).build();
        image = BenchNets.image(3, size, size);
        // the classes the PyTorch baseline uses: channels 0, 4, 8, then 9, 10, ...
        classIds = new int[candidates];
        for (int i = 0; i < candidates; i++) {
            classIds[i] = i < 3 ? 1 + 4 * i : 7 + i;
        }
    }

    @Benchmark
    public SaliencyResult saliency() {
        return extractor.extract(image, classIds);
    }

    @Benchmark
    public INDArray dl4jOutput() {
        return model.output(image);
    }
}
