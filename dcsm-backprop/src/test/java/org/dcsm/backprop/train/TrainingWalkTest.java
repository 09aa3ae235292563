package org.dcsm.backprop.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.backprop.net.VggStyleFcn;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * {@link TrainingWalk} against DL4J's own {@code feedForward(true)} + {@code backpropGradient} (every weight,
 * bias, batch-norm scale/shift and running-statistic entry of the flat gradient, with and without batch
 * normalisation and dropout) and against central differences of the loss, in double precision. Limits as
 * DL4J's GradientCheckUtil: relative error {@code |a − n| / (|a| + |n|)} below 1e-5 unless the absolute
 * difference is below 1e-8 (eps 1e-6); against DL4J, see {@link #assertClose}.
 */
class TrainingWalkTest {

    private static final VggStyleFcn TINY = SmallVggFcn.architecture().toBuilder()
            .blockWidths(4, 6).blockDepths(2, 1).fc6Width(5).fc7Width(7).build();
    private static final int K = 3;

    @Test
    void gradientsEqualDl4jsBackpropWithBatchNorm() {
        assertSameAsDl4j(true, 1.0);
    }

    @Test
    void gradientsEqualDl4jsBackpropWithDropout() {
        assertSameAsDl4j(false, 0.6);
    }

    private static void assertSameAsDl4j(boolean batchNorm, double retain) {
        MultiLayerNetwork ours = TINY.buildTrainingNetwork(K, batchNorm, retain, new Sgd(0.1), 0, 5)
                .convertDataType(DataType.DOUBLE);
        MultiLayerNetwork theirs = ours.clone();
        INDArray x = Nd4j.rand(new Random(1).nextLong(), new long[] {3, 3, 18, 20}).castTo(DataType.DOUBLE).subi(0.5);
        int h = TINY.scoreMapSide(18);
        int w = TINY.scoreMapSide(20);
        INDArray eps = Nd4j.rand(new Random(2).nextLong(), new long[] {3, K, h, w}).castTo(DataType.DOUBLE).subi(0.5);

        Nd4j.getRandom().setSeed(9);
        TrainingWalk walk = new TrainingWalk(ours);
        INDArray score = walk.forward(x, 0, 0).dup();
        walk.backward(eps.dup(), 0);
        INDArray ourGrad = ours.getFlattenedGradients().dup();

        Nd4j.getRandom().setSeed(9);
        theirs.setInput(x);
        java.util.List<INDArray> acts = theirs.feedForward(true, false);
        INDArray theirScore = acts.get(acts.size() - 1);
        theirs.backpropGradient(eps.dup(), LayerWorkspaceMgr.noWorkspaces());
        INDArray theirGrad = theirs.getFlattenedGradients();

        assertClose(score, theirScore, "score map");
        assertClose(ourGrad, theirGrad, "flat gradient");
        assertThat(ourGrad.amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    @Test
    void gradientsMatchCentralDifferences() {
        MultiLayerNetwork net = TINY.buildTrainingNetwork(K, true, 1.0, new Sgd(0.1), 0, 7)
                .convertDataType(DataType.DOUBLE);
        INDArray x = Nd4j.rand(new Random(3).nextLong(), new long[] {2, 3, 16, 16}).castTo(DataType.DOUBLE).subi(0.5);
        INDArray weights = Nd4j.rand(new Random(4).nextLong(), new long[] {2, K, TINY.scoreMapSide(16),
                TINY.scoreMapSide(16)}).castTo(DataType.DOUBLE).subi(0.5);
        TrainingWalk walk = new TrainingWalk(net);
        walk.forward(x, 0, 0);
        walk.backward(weights.dup(), 0);
        INDArray analytic = net.getFlattenedGradients().dup();
        INDArray params = net.params();
        Random rng = new Random(5);
        int checked = 0;
        for (int layer = 0; layer < net.getnLayers(); layer++) {
            String name = net.getLayer(layer).conf().getLayer().getLayerName();
            for (java.util.Map.Entry<String, INDArray> e : net.getLayer(layer).paramTable().entrySet()) {
                if (e.getKey().equals("mean") || e.getKey().equals("var")) {
                    continue; // running statistics: not a gradient of the loss
                }
                long offset = e.getValue().offset() - params.offset();
                for (int s = 0; s < 4; s++) {
                    long i = offset + (long) (rng.nextDouble() * e.getValue().length());
                    double v = params.getDouble(i);
                    params.putScalar(i, v + 1e-6);
                    double plus = loss(net, x, weights);
                    params.putScalar(i, v - 1e-6);
                    double minus = loss(net, x, weights);
                    params.putScalar(i, v);
                    double numeric = (plus - minus) / 2e-6;
                    double a = analytic.getDouble(i);
                    double abs = Math.abs(a - numeric);
                    assertThat(abs < 1e-8 || abs / (Math.abs(a) + Math.abs(numeric)) < 1e-5)
                            .as("%s %s[%d]: analytic %s, numeric %s", name, e.getKey(), i - offset, a, numeric).isTrue();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(40);
    }

    /** Σ weights · score map, the score map from a training-mode forward pass (batch statistics). */
    private static double loss(MultiLayerNetwork net, INDArray x, INDArray weights) {
        TrainingWalk walk = new TrainingWalk(net);
        double l = walk.forward(x, 0, 0).mul(weights).sumNumber().doubleValue();
        walk.release();
        return l;
    }

    @Test
    void layersBelowTheLowestGetZeroGradients() {
        MultiLayerNetwork net = TINY.buildTrainingNetwork(K, true, 1.0, new Sgd(0.1), 0, 7);
        TrainingWalk walk = new TrainingWalk(net);
        net.getFlattenedGradients().assign(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16);
        INDArray score = walk.forward(x, 0, 0);
        int fc6 = 0;
        while (!"fc6".equals(net.getLayer(fc6).conf().getLayer().getLayerName())) {
            fc6++;
        }
        walk.backward(Nd4j.onesLike(score), fc6);
        long below = 0;
        for (int i = 0; i < fc6; i++) {
            below += net.getLayer(i).numParams();
        }
        INDArray g = net.getFlattenedGradients();
        assertThat(g.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, below)).amaxNumber().doubleValue()).isEqualTo(0.0);
        assertThat(g.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(below, g.length())).amaxNumber().doubleValue())
                .isGreaterThan(0.0);
    }

    @Test
    void otherLayerTypesAreNamed() {
        MultiLayerNetwork dense = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().name("d").nIn(4).nOut(2).build()).build());
        dense.init();
        assertThat(assertThrows(IllegalArgumentException.class, () -> new TrainingWalk(dense)).getMessage())
                .isEqualTo("layer 0 (d): unsupported type DenseLayer");
    }

    /**
     * Relative error below 1e-5, or an absolute error below 1e-6 of the largest entry: libnd4j's
     * {@code batchnorm_bp} leaves residues of that size where the exact gradient is 0 (the bias of a
     * convolution followed by batch normalisation), where DL4J's layer gives ~1e-15.
     */
    private static void assertClose(INDArray a, INDArray b, String what) {
        assertThat(a.shape()).as(what).containsExactly(b.shape());
        double[] x = a.dup('c').data().asDouble();
        double[] y = b.dup('c').data().asDouble();
        double floor = 1e-6 * b.amaxNumber().doubleValue();
        for (int i = 0; i < x.length; i++) {
            double abs = Math.abs(x[i] - y[i]);
            assertThat(abs < floor || abs / (Math.abs(x[i]) + Math.abs(y[i])) < 1e-5)
                    .as("%s[%d]: ours %s, DL4J %s", what, i, x[i], y[i]).isTrue();
        }
    }
}
