package org.dcsm.backprop.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;

class MixedGlobalPoolingLossTest {

    @Test
    void maxPoolingLossAndGradientByHand() {
        // one image, one class, 2x2 map [0, 2, -1, 1]: max 2 at index 1, label 1
        float[] map = {0, 2, -1, 1};
        float[] probs = new float[1];
        float[] grad = new float[4];
        double loss = MixedGlobalPoolingLoss.forwardBackward(map, new float[] {1}, 1, 1, 2, 2, 1.0, probs, grad);
        double sig = 1 / (1 + Math.exp(-2));
        assertThat(loss).isCloseTo(-Math.log(sig), within(1e-9)); // 0.126928
        assertThat(loss).isCloseTo(0.1269280110, within(1e-9));
        assertThat(probs[0]).isCloseTo((float) sig, within(1e-7f));
        assertThat(grad).containsExactly(0f, (float) (sig - 1), 0f, 0f);
    }

    @Test
    void averagePoolingSpreadsTheGradient() {
        // mean of [0, 2, -1, 1] = 0.5, label 0: loss = softplus(0.5) = 0.974077
        float[] map = {0, 2, -1, 1};
        float[] grad = new float[4];
        double loss = MixedGlobalPoolingLoss.forwardBackward(map, new float[] {0}, 1, 1, 2, 2, 0.0, new float[1], grad);
        assertThat(loss).isCloseTo(Math.log1p(Math.exp(0.5)), within(1e-9));
        float g = (float) (1 / (1 + Math.exp(-0.5)) / 4);
        assertThat(grad).containsExactly(g, g, g, g);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        Random rng = new Random(5);
        int n = 2;
        int k = 3;
        int h = 3;
        int w = 2;
        float[] map = new float[n * k * h * w];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) rng.nextGaussian() * 2;
        }
        float[] labels = {1, 0, 1, 0, 0, 1};
        double p = 0.3;
        float[] grad = new float[map.length];
        MixedGlobalPoolingLoss.forwardBackward(map, labels, n, k, h, w, p, new float[n * k], grad);
        float eps = 1e-3f;
        for (int i = 0; i < map.length; i++) {
            float[] plus = map.clone();
            float[] minus = map.clone();
            plus[i] += eps;
            minus[i] -= eps;
            double lp = MixedGlobalPoolingLoss.forwardBackward(plus, labels, n, k, h, w, p, new float[n * k],
                    new float[map.length]);
            double lm = MixedGlobalPoolingLoss.forwardBackward(minus, labels, n, k, h, w, p, new float[n * k],
                    new float[map.length]);
            double numeric = (lp - lm) / (2 * eps);
            assertThat((double) grad[i]).as("element %d", i).isCloseTo(numeric, within(1e-4 + 1e-3 * Math.abs(numeric)));
        }
    }

    @Test
    void softplusIsStableForLargeArguments() {
        assertThat(MixedGlobalPoolingLoss.softplus(1000)).isEqualTo(1000.0);
        assertThat(MixedGlobalPoolingLoss.softplus(-1000)).isEqualTo(0.0);
        assertThat(MixedGlobalPoolingLoss.sigmoid(-1000)).isEqualTo(0.0);
    }
}
