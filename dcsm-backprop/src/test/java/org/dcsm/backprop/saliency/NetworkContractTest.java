package org.dcsm.backprop.saliency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Which layers the backward walk accepts, and the messages for those it does not. */
class NetworkContractTest {

    private static MultiLayerNetwork net(Layer middle, Activation firstActivation) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4)
                .dataType(DataType.DOUBLE).list()
                .layer(TestNets.conv("conv1_1", 3, 3, 4, firstActivation))
                .layer(middle)
                .layer(TestNets.conv("fc8", 1, 4, 2, Activation.IDENTITY))
                .setInputType(InputType.convolutional(8, 8, 3)).build());
        net.init();
        TestNets.randomBiases(net, 4);
        return net;
    }

    @Test
    void separateReluActivationLayerEqualsReluInsideTheConvolution() {
        MultiLayerNetwork separate = net(new ActivationLayer.Builder().activation(Activation.RELU).name("relu1")
                .build(), Activation.IDENTITY);
        MultiLayerNetwork inside = net(new ActivationLayer.Builder().activation(Activation.IDENTITY).name("id")
                .build(), Activation.RELU);
        inside.setParams(separate.params().dup());
        INDArray x = TestNets.image(DataType.DOUBLE, 5, 8, 8);
        for (boolean guided : new boolean[] {true, false}) {
            Map<String, INDArray> a = SaliencyExtractor.forNetwork(separate).layers(SaliencyExtractor.INPUT)
                    .guided(guided).build().derivatives(x, new int[] {0, 1});
            Map<String, INDArray> b = SaliencyExtractor.forNetwork(inside).layers(SaliencyExtractor.INPUT)
                    .guided(guided).build().derivatives(x, new int[] {0, 1});
            assertThat(a.get(SaliencyExtractor.INPUT).equalsWithEps(b.get(SaliencyExtractor.INPUT), 1e-12)).isTrue();
            assertThat(a.get(SaliencyExtractor.INPUT).amaxNumber().doubleValue()).isGreaterThan(0.0);
        }
    }

    @Test
    void unsupportedLayersAreNamed() {
        MultiLayerNetwork bn = net(new BatchNormalization.Builder().nOut(4).name("bn1").build(), Activation.RELU);
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(bn).layers("conv1_1").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Layer 'bn1' has layer type BatchNormalization, which the saliency backward walk does not "
                        + "support");
        MultiLayerNetwork avg = net(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2)
                .name("pool1").build(), Activation.RELU);
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(avg).layers("conv1_1").build())
                .hasMessage("Layer 'pool1' has pooling type AVG (MAX is required), which the saliency backward walk "
                        + "does not support");
        MultiLayerNetwork leaky = net(new ActivationLayer.Builder().activation(Activation.LEAKYRELU).name("act")
                .build(), Activation.RELU);
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(leaky).layers("conv1_1").build())
                .hasMessageStartingWith("Layer 'act' has activation leakyrelu")
                .hasMessageContaining("(ReLU or identity is required)");
    }
}
