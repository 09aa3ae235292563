package org.dcsm.backprop.saliency;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ReLU rules on a hand-built two-layer net whose derivatives are worked out by hand.
 *
 * <pre>
 * input x (1 channel, 1×2) = [1, -1]
 * conv1_1: 1×1, 1 -> 2 channels, w = (1, -2), b = 0, ReLU
 *   pre-activation  ch0 = [1, -1]   ch1 = [-2, 2]
 *   output          ch0 = [1,  0]   ch1 = [ 0, 2]
 * fc8: 1×1, 2 -> 1 class, w = (3, -1), b = 0, identity; score map = [3, -2]
 *
 * seed: 1 at both positions of class channel 0
 * d/d conv1_1 output: ch0 = [3, 3], ch1 = [-1, -1]           (same for plain and guided)
 *   max |.| over channels = [3, 3]
 * through conv1_1's ReLU (forward mask ch0 = [1, 0], ch1 = [0, 1]):
 *   plain:  ch0 = [3, 0], ch1 = [0, -1]   -> max |.| = [3, 1] (pre-activation point)
 *   guided: ch0 = [3, 0], ch1 = [0,  0]   -> max |.| = [3, 0]   (the negative -1 is blocked)
 * d/d input = 1·ch0 + (-2)·ch1:
 *   plain:  [3, 2]      guided: [3, 0]
 * </pre>
 */
class GuidedBackpropRuleTest {

    private static MultiLayerNetwork handNet() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).list()
                .layer(TestNets.conv("conv1_1", 1, 1, 2, Activation.RELU))
                .layer(TestNets.conv("fc8", 1, 2, 1, Activation.IDENTITY))
                .setInputType(InputType.convolutional(1, 2, 1))
                .build());
        net.init();
        net.getLayer(0).setParam("W", Nd4j.create(new double[] {1, -2}, new long[] {2, 1, 1, 1}));
        net.getLayer(0).setParam("b", Nd4j.zeros(DataType.DOUBLE, 1, 2));
        net.getLayer(1).setParam("W", Nd4j.create(new double[] {3, -1}, new long[] {1, 2, 1, 1}));
        net.getLayer(1).setParam("b", Nd4j.zeros(DataType.DOUBLE, 1, 1));
        return net;
    }

    private static final INDArray X = Nd4j.create(new double[] {1, -1}, new long[] {1, 1, 1, 2});

    private static float[] map(SaliencyExtractor e, String layer) {
        SaliencyResult r = e.extract(X, 1);
        return r.maps().entry(layer, 2).orElseThrow().maps().data().asFloat();
    }

    @Test
    void guidedBlocksNegativeGradientsAtReLU() {
        SaliencyExtractor guided = SaliencyExtractor.forNetwork(handNet()).layers("conv1_1", SaliencyExtractor.INPUT)
                .guided(true).derivativeAt(DerivativePoint.LAYER_OUTPUT).build();
        assertThat(map(guided, "conv1_1")).containsExactly(3f, 3f);
        assertThat(map(guided, SaliencyExtractor.INPUT)).containsExactly(3f, 0f);
        INDArray full = guided.derivatives(X, new int[] {0}).get(SaliencyExtractor.INPUT);
        assertThat(full.data().asDouble()).containsExactly(3.0, 0.0);
    }

    @Test
    void plainPassesNegativeGradientsWhereTheInputWasPositive() {
        SaliencyExtractor plain = SaliencyExtractor.forNetwork(handNet()).layers("conv1_1", SaliencyExtractor.INPUT)
                .guided(false).derivativeAt(DerivativePoint.LAYER_OUTPUT).build();
        assertThat(map(plain, "conv1_1")).containsExactly(3f, 3f);
        assertThat(map(plain, SaliencyExtractor.INPUT)).containsExactly(3f, 2f);
        // signed input gradient [3, 2]
        INDArray full = plain.derivatives(X, new int[] {0}).get(SaliencyExtractor.INPUT);
        assertThat(full.data().asDouble()).containsExactly(3.0, 2.0);
    }

    @Test
    void preActivationPointReadsTheMaskedGradientLikeCaffe() {
        SaliencyExtractor plain = SaliencyExtractor.forNetwork(handNet()).layers("conv1_1").guided(false)
                .derivativeAt(DerivativePoint.PRE_ACTIVATION).build();
        assertThat(map(plain, "conv1_1")).containsExactly(3f, 1f);
        SaliencyExtractor guided = SaliencyExtractor.forNetwork(handNet()).layers("conv1_1").guided(true)
                .derivativeAt(DerivativePoint.PRE_ACTIVATION).build();
        assertThat(map(guided, "conv1_1")).containsExactly(3f, 0f);
    }

    @Test
    void preActivationIsTheDefaultPoint() {
        SaliencyExtractor byDefault = SaliencyExtractor.forNetwork(handNet()).layers("conv1_1").guided(false).build();
        assertThat(map(byDefault, "conv1_1")).containsExactly(3f, 1f);
        assertThat(SaliencyExtractor.DEFAULT_POINT).isEqualTo(DerivativePoint.PRE_ACTIVATION);
    }

    @Test
    void globalMaxSeedBackpropagatesFromTheArgmaxOnly() {
        // score map [3, -2]: the max is at position 0, so only x[0] gets a gradient: plain input grad [3, 0]
        SaliencyExtractor e = SaliencyExtractor.simonyan(handNet()).seed(ScoreSeed.GLOBAL_MAX).build();
        assertThat(map(e, SaliencyExtractor.INPUT)).containsExactly(3f, 0f);
        SaliencyResult r = e.extract(X, 1);
        assertThat(r.scores()).containsExactly(3.0);
    }
}
