package org.dcsm.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.dcsm.core.LabelMap;
import org.junit.jupiter.api.Test;

/** Random sizes (1×1 to 64×64), label counts (1, 2, 21) and parameters, seeded. */
class PropertyTest {

    @Test
    void outputsAreFiniteNormalisedAndInRange() {
        Random rnd = new Random(2016);
        int[] labelCounts = {1, 2, 21};
        KernelNormalization[] norms = KernelNormalization.values();
        for (int trial = 0; trial < 36; trial++) {
            int w = trial < 2 ? 1 : 1 + rnd.nextInt(64);
            int h = trial == 0 ? 1 : 1 + rnd.nextInt(64);
            int m = labelCounts[trial % 3];
            Scenes scene = Scenes.make(w, h, m, trial, 3 * rnd.nextDouble(), 2 * rnd.nextDouble());
            DenseCrf.Builder b = DenseCrf.builder()
                    .gaussian(0.5 + 10 * rnd.nextDouble(), 5 * rnd.nextDouble())
                    .bilateral(1 + 80 * rnd.nextDouble(), 1 + 30 * rnd.nextDouble(), 5 * rnd.nextDouble())
                    .normalization(norms[rnd.nextInt(norms.length)])
                    .iterations(rnd.nextInt(12))
                    .threads(1 + rnd.nextInt(2));
            if (rnd.nextBoolean()) {
                double[] d = new double[m];
                for (int l = 0; l < m; l++) {
                    d[l] = 3 * rnd.nextDouble();
                }
                b.compatibility(Compatibility.diagonal(d));
            } else {
                b.compatibility(Compatibility.potts(3 * rnd.nextDouble()));
            }
            DenseCrf crf = b.build();
            CrfResult r = crf.solve(scene.input());
            float[] q = r.marginals().data().asFloat();
            int n = w * h;
            assertThat(q).hasSize(m * n);
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int l = 0; l < m; l++) {
                    float v = q[l * n + i];
                    assertThat(Float.isFinite(v)).as("trial %d %s", trial, crf).isTrue();
                    assertThat(v).isBetween(0f, 1f);
                    s += v;
                }
                assertThat(s).as("trial %d", trial).isCloseTo(1.0, within(1e-5));
            }
            LabelMap labels = r.labels();
            assertThat(labels.width()).isEqualTo(w);
            assertThat(labels.height()).isEqualTo(h);
            for (int id : labels.distinctIds()) {
                assertThat(id).isBetween(0, m - 1);
            }
        }
    }
}
