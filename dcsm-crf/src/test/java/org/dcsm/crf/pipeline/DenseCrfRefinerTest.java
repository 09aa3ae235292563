package org.dcsm.crf.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.pipeline.Refinement;
import org.dcsm.crf.DenseCrf;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DenseCrfRefinerTest {

    /**
     * An 8×8 image, left half red and right half blue; the Eq. 7 maps say class 3 on the left half
     * except one noisy pixel (2,3) that weakly says background. The CRF (colour-consistent neighbours)
     * fixes the noisy pixel; the argmax would not.
     */
    @Test
    void crfCleansANoisyPixelAndKeepsClassIds() {
        int n = 8;
        float[] img = new float[3 * n * n];
        float[] maps = new float[2 * n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int p = y * n + x;
                boolean left = x < n / 2;
                img[p] = left ? 220 : 20;
                img[2 * n * n + p] = left ? 20 : 220;
                float fg = left ? 0.9f : 0.1f;
                if (x == 2 && y == 3) {
                    fg = 0.45f;
                }
                maps[p] = 1 - fg;          // class 0: background
                maps[n * n + p] = fg;      // class 3
            }
        }
        INDArray image = Nd4j.create(img, new long[] {3, n, n}, 'c');
        ClassMaps probs = ClassMaps.of(new int[] {0, 3}, Nd4j.create(maps, new long[] {2, n, n}, 'c'));
        Refinement r = DenseCrfRefiner.of(DenseCrf.builder().bilateral(30, 10, 5).gaussian(3, 3).iterations(10).build())
                .refine(image, probs);
        assertThat(r.labels().get(2, 3)).isEqualTo(3);
        assertThat(r.labels().get(1, 1)).isEqualTo(3);
        assertThat(r.labels().get(6, 6)).isZero();
        assertThat(r.probabilities().classIds()).containsExactly(0, 3);
        // marginals sum to one per pixel
        INDArray q = r.probabilities().single();
        assertThat(q.sum(0).minNumber().doubleValue()).isCloseTo(1.0, within(1e-4));
        assertThat(q.sum(0).maxNumber().doubleValue()).isCloseTo(1.0, within(1e-4));
        // argmax of the same maps keeps the noisy pixel as background
        assertThat(org.dcsm.core.Unary.argmax(probs).get(2, 3)).isZero();
        assertThat(DenseCrfRefiner.paper().crf().iterations()).isEqualTo(10);
        assertThat(r.labels()).isInstanceOf(LabelMap.class);
    }
}
