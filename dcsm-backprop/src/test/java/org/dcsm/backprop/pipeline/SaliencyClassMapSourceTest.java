package org.dcsm.backprop.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dcsm.backprop.saliency.SaliencyExtractor;
import org.dcsm.backprop.saliency.SaliencyResult;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.pipeline.Candidate;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.dcsm.core.pipeline.Refiner;
import org.dcsm.core.pipeline.Segmentation;
import org.dcsm.core.pipeline.SourceResult;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SaliencyClassMapSourceTest {

    /** conv1 (3×3 same) → pool → fc8 (1×1 to 3 classes) → global max → sigmoid loss; input ≥ 2×2. */
    private static MultiLayerNetwork net() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .weightInit(WeightInit.XAVIER).convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(3).nOut(4).activation(Activation.RELU).name("conv1").build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).name("pool1").build())
                .layer(new ConvolutionLayer.Builder(1, 1).nIn(4).nOut(3).activation(Activation.IDENTITY).name("fc8").build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).name("gmp").build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID).build())
                .setInputType(InputType.convolutional(8, 8, 3)).build());
        net.init();
        return net;
    }

    @Test
    void handsOverTheExtractorsResultUnchanged() {
        MultiLayerNetwork net = net();
        SaliencyExtractor ex = SaliencyExtractor.forNetwork(net).layers("conv1").minCandidates(2).build();
        INDArray image = Nd4j.rand(new int[] {3, 8, 10}).muli(255);
        SourceResult r = SaliencyClassMapSource.of(ex, x -> x.div(255)).extract(image);
        SaliencyResult direct = ex.extract(image.div(255));
        assertThat(r.probabilities()).containsExactly(direct.probabilities());
        assertThat(r.candidates()).extracting(Candidate::classId).containsExactly(
                java.util.Arrays.stream(direct.classIds()).boxed().toArray(Integer[]::new));
        assertThat(r.candidates().size()).isGreaterThanOrEqualTo(2);
        for (Candidate c : r.candidates()) {
            assertThat(c.score()).isEqualTo(direct.probabilities()[c.classId() - 1]);
        }
        ClassMaps maps = r.rawMaps().orElseThrow();
        assertThat(maps.single().equalsWithEps(direct.maps().single(), 0)).isTrue();
        // and the whole pipeline runs on it, at the image's size
        Segmentation s = DcsmPipeline.paper(SaliencyClassMapSource.of(ex, x -> x.div(255)), Refiner.argmax())
                .segment(image);
        assertThat(s.labels().width()).isEqualTo(10);
        assertThat(s.labels().height()).isEqualTo(8);
    }

    @Test
    void rejectsAPreprocessingThatChangesTheSize() {
        SaliencyExtractor ex = SaliencyExtractor.forNetwork(net()).layers("conv1").build();
        SaliencyClassMapSource crop = SaliencyClassMapSource.of(ex,
                x -> x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).dup());
        assertThat(assertThrows(IllegalArgumentException.class, () -> crop.extract(Nd4j.zeros(3, 8, 8))))
                .hasMessageContaining("Preprocessing changed the image size from 8x8 to 4x8");
    }
}
