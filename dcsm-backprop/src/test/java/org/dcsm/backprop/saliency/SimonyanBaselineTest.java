package org.dcsm.backprop.saliency;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Simonyan baseline ({@link SaliencyExtractor#simonyan}) finds the object on a scene where the classifier
 * is sure, and the sum-of-score-map seed does not.
 *
 * <pre>
 * input: 1 channel, 16×16, 0 everywhere but a 4×4 object of value 10 at rows/columns 4..7
 * conv1_1: 3×3 same, all weights 1, bias 1, ReLU   (a "brightness" detector, active everywhere)
 * fc8: 1×1, weight 1, bias 0, identity              (one class)
 * score map = conv1_1: 1 on the background, up to 91 on the object; S = max = 91, sigmoid(S) = 1
 * pooled seed (Eq. 2): 1 at the argmax (5, 5): input gradient = the 3×3 window rows/columns 4..6, inside the object
 * score-map seed: every position active, so the input gradient is the count of windows covering a pixel:
 *   9 at every inner pixel, object and background alike
 * </pre>
 */
class SimonyanBaselineTest {

    private static final int SIDE = 16;

    private static MultiLayerNetwork brightnessNet() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).convolutionMode(ConvolutionMode.Same).list()
                .layer(TestNets.conv("conv1_1", 3, 1, 1, Activation.RELU))
                .layer(TestNets.conv("fc8", 1, 1, 1, Activation.IDENTITY))
                .setInputType(InputType.convolutional(SIDE, SIDE, 1))
                .build());
        net.init();
        net.getLayer(0).setParam("W", Nd4j.ones(DataType.DOUBLE, 1, 1, 3, 3));
        net.getLayer(0).setParam("b", Nd4j.ones(DataType.DOUBLE, 1, 1));
        net.getLayer(1).setParam("W", Nd4j.ones(DataType.DOUBLE, 1, 1, 1, 1));
        net.getLayer(1).setParam("b", Nd4j.zeros(DataType.DOUBLE, 1, 1));
        return net;
    }

    private static INDArray scene() {
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 1, SIDE, SIDE);
        for (int r = 4; r < 8; r++) {
            for (int c = 4; c < 8; c++) {
                x.putScalar(new long[] {0, 0, r, c}, 10);
            }
        }
        return x;
    }

    private static boolean inObject(int r, int c) {
        return r >= 4 && r < 8 && c >= 4 && c < 8;
    }

    private static double[] map(SaliencyExtractor e, SaliencyResult r) {
        return r.maps().entry(SaliencyExtractor.INPUT, SIDE).orElseThrow().maps().castTo(DataType.DOUBLE).dup('c').data()
                .asDouble();
    }

    @Test
    void pooledScoreGradientLiesOnTheObjectWhenTheClassifierIsSure() {
        SaliencyExtractor e = SaliencyExtractor.simonyan(brightnessNet()).build();
        SaliencyResult r = e.extract(scene());
        assertThat(r.scores()).containsExactly(91.0);
        assertThat(r.classIds()).containsExactly(1); // sigmoid(91) > 0.5: a candidate by the classifier alone
        double[] m = map(e, r);
        int onObject = 0;
        for (int i = 0; i < m.length; i++) {
            int row = i / SIDE;
            int col = i % SIDE;
            if (m[i] > 0) {
                assertThat(inObject(row, col)).as("saliency %s at (%d, %d), outside the object", m[i], row, col).isTrue();
                onObject++;
            }
        }
        assertThat(onObject).isEqualTo(9); // the 3×3 window at the argmax (5, 5): 9 of the object's 16 pixels
    }

    @Test
    void scoreMapSumGradientIsFlatOverObjectAndBackground() {
        SaliencyExtractor e = SaliencyExtractor.simonyan(brightnessNet()).seed(ScoreSeed.SCORE_MAP).build();
        SaliencyResult r = e.extract(scene());
        double[] m = map(e, r);
        double object = 0;
        double background = 0;
        int nb = 0;
        for (int i = 0; i < m.length; i++) {
            int row = i / SIDE;
            int col = i % SIDE;
            if (row == 0 || col == 0 || row == SIDE - 1 || col == SIDE - 1) {
                continue; // border pixels are covered by fewer windows
            }
            if (inObject(row, col)) {
                object += m[i];
            } else {
                background += m[i];
                nb++;
            }
        }
        assertThat(object / 16).isEqualTo(9.0);
        assertThat(background / nb).isEqualTo(9.0);
    }

    @Test
    void simonyanPresetDifferentiatesThePooledScore() {
        assertThat(SaliencyExtractor.simonyan(brightnessNet()).build().toString()).contains("seed=GLOBAL_MAX",
                "layers=[" + SaliencyExtractor.INPUT + "]", "guided=false");
    }
}
