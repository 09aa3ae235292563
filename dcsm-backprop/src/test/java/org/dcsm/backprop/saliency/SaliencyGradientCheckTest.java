package org.dcsm.backprop.saliency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Plain back-propagation derivatives (Eq. 3) at every layer against central differences, in double
 * precision, on a tiny random FCN. The reference runs DL4J's own layers
 * ({@code activateSelectedLayers}) from the perturbed activation up to {@code fc8}, so it is
 * independent of the walk's libnd4j calls. Limits as DL4J's GradientCheckUtil: relative error
 * {@code |a-n| / (|a|+|n|)} below 1e-5 unless the absolute difference is below 1e-8 (eps 1e-6).
 */
class SaliencyGradientCheckTest {

    private static final double EPS = 1e-6;
    private static final double MAX_REL_ERROR = 1e-5;
    private static final double MIN_ABS_ERROR = 1e-8;
    private static final int SAMPLES_PER_LAYER = 40;

    @Test
    void plainBackpropMatchesCentralDifferencesAtEveryLayer() {
        MultiLayerNetwork net = TestNets.tinyFcn(DataType.DOUBLE, 42, 3);
        List<String> layers = List.of(SaliencyExtractor.INPUT, "conv1_1", "conv1_2", "pool1", "conv2_1", "pool2",
                "fc6", "fc7");
        SaliencyExtractor extractor = SaliencyExtractor.forNetwork(net).layers(layers).guided(false)
                .derivativeAt(DerivativePoint.LAYER_OUTPUT).build();
        INDArray x = TestNets.image(DataType.DOUBLE, 7, 18, 21);
        int[] channels = {2, 0};
        Map<String, INDArray> analytic = extractor.derivatives(x, channels);
        assertThat(analytic.keySet()).containsExactlyInAnyOrderElementsOf(layers);
        assertThat(analytic.get("conv1_1").dataType()).isEqualTo(DataType.DOUBLE);

        List<INDArray> acts = net.feedForward(x, false); // acts.get(i + 1) = output of layer i
        int fc8 = layerIndex(net, "fc8");
        Random rng = new Random(3);
        int checked = 0;
        int nonZero = 0;
        int kinks = 0;
        for (String layer : layers) {
            int li = layer.equals(SaliencyExtractor.INPUT) ? -1 : layerIndex(net, layer);
            INDArray act = acts.get(li + 1).dup();
            INDArray grad = analytic.get(layer);
            assertThat(grad.shape()).as(layer).containsExactly(channels.length, act.size(1), act.size(2), act.size(3));
            long n = act.length();
            // all perturbed copies of the activation in one batch: rows 2s (+eps), 2s+1 (-eps), last (none)
            long[][] positions = new long[SAMPLES_PER_LAYER][];
            INDArray batch = act.repeat(0, 2L * SAMPLES_PER_LAYER + 1);
            for (int s = 0; s < SAMPLES_PER_LAYER; s++) {
                long idx = n <= SAMPLES_PER_LAYER ? s % n : (long) (rng.nextDouble() * n);
                long[] pos = org.nd4j.linalg.api.shape.Shape.ind2subC(act.shape(), idx);
                positions[s] = pos;
                double orig = act.getDouble(pos);
                batch.putScalar(new long[] {2L * s, pos[1], pos[2], pos[3]}, orig + EPS);
                batch.putScalar(new long[] {2L * s + 1, pos[1], pos[2], pos[3]}, orig - EPS);
            }
            INDArray scores = scoresFrom(net, li + 1, fc8, batch);
            for (int s = 0; s < SAMPLES_PER_LAYER; s++) {
                long[] pos = positions[s];
                for (int b = 0; b < channels.length; b++) {
                    double fp = classSum(scores, 2 * s, channels[b]);
                    double fm = classSum(scores, 2 * s + 1, channels[b]);
                    double f0 = classSum(scores, 2 * SAMPLES_PER_LAYER, channels[b]);
                    // a kink (ReLU at 0, a tie in a max-pooling window) has different one-sided slopes:
                    // the derivative is undefined there, so such points are skipped and counted
                    double right = (fp - f0) / EPS;
                    double left = (f0 - fm) / EPS;
                    if (Math.abs(right - left) > 1e-4 * (Math.abs(right) + Math.abs(left)) + 1e-6) {
                        kinks++;
                        continue;
                    }
                    double numeric = (fp - fm) / (2 * EPS);
                    double a = grad.getDouble(b, pos[1], pos[2], pos[3]);
                    double abs = Math.abs(a - numeric);
                    double rel = abs == 0 ? 0 : abs / (Math.abs(a) + Math.abs(numeric));
                    assertThat(rel < MAX_REL_ERROR || abs < MIN_ABS_ERROR)
                            .as("layer %s channel %d at %s: analytic %s, numeric %s", layer, channels[b],
                                    java.util.Arrays.toString(pos), a, numeric)
                            .isTrue();
                    checked++;
                    if (Math.abs(numeric) > 1e-6) {
                        nonZero++;
                    }
                }
            }
        }
        assertThat(checked + kinks).isEqualTo(layers.size() * SAMPLES_PER_LAYER * channels.length);
        assertThat(kinks).isLessThan(checked / 10);
        // the check must not pass by comparing zeros with zeros
        assertThat(nonZero).isGreaterThan(checked / 4);
    }

    @Test
    void forwardScoreMapEqualsDl4jOutput() {
        MultiLayerNetwork net = TestNets.tinyFcn(DataType.DOUBLE, 5, 4);
        SaliencyExtractor extractor = SaliencyExtractor.forNetwork(net).layers("conv2_1").build();
        INDArray x = TestNets.image(DataType.DOUBLE, 9, 23, 17);
        INDArray ours = extractor.scoreMap(x);
        INDArray dl4j = net.feedForward(x, false).get(layerIndex(net, "fc8") + 1);
        assertThat(ours.shape()).containsExactly(dl4j.shape());
        assertThat(ours.equalsWithEps(dl4j, 1e-12)).isTrue();
        // the scores are the global max of the score map, the probabilities the network's own output
        SaliencyResult r = extractor.extract(x);
        double[] p = r.probabilities();
        INDArray out = net.output(x);
        for (int k = 0; k < 4; k++) {
            assertThat(p[k]).isCloseTo(out.getDouble(0, k), org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /** The fc8 score map computed by DL4J's layers from {@code act} entering layer {@code from}. */
    private static INDArray scoresFrom(MultiLayerNetwork net, int from, int fc8, INDArray act) {
        if (from == fc8) {
            return net.getLayer(fc8).activate(act, false, LayerWorkspaceMgr.noWorkspaces()).dup();
        }
        return net.activateSelectedLayers(from, fc8, act).dup();
    }

    private static double classSum(INDArray scoreMap, int row, int channel) {
        return scoreMap.get(NDArrayIndex.point(row), NDArrayIndex.point(channel), NDArrayIndex.all(), NDArrayIndex.all())
                .sumNumber().doubleValue();
    }

    static int layerIndex(MultiLayerNetwork net, String name) {
        for (int i = 0; i < net.getnLayers(); i++) {
            if (name.equals(net.getLayerWiseConfigurations().getConf(i).getLayer().getLayerName())) {
                return i;
            }
        }
        throw new AssertionError("no layer " + name);
    }
}
