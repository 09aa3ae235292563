package org.dcsm.crf;

import org.dcsm.crf.impl.ExactRowSums;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How closely the lattice CRF follows the exact one on a scene: the share of pixels with the same MAP label and
 * the mean |ΔQ| over pixels and labels. Either after full inference against {@link ExactDenseCrf#solve} (images up
 * to {@link org.dcsm.crf.impl.ExactGaussianFilter#MAX_PIXELS} pixels), or for one mean-field iteration on sampled
 * pixels ({@link ExactDenseCrf#stepAt}): the lattice runs {@code before} iterations, then one more, and the exact
 * update from the same marginals is compared with that last iterate.
 */
record Agreement(double labels, double meanDq) {

    /** Full inference, lattice against exact, from the same unary. */
    static Agreement full(DenseCrf crf, CrfInput input) {
        CrfResult lattice = crf.solve(input);
        CrfResult exact = ExactDenseCrf.of(crf).solve(input);
        float[] a = lattice.marginals().data().asFloat();
        float[] b = exact.marginals().data().asFloat();
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff += Math.abs(a[i] - b[i]);
        }
        return new Agreement(lattice.labels().agreement(exact.labels()), diff / a.length);
    }

    /** One iteration after {@code before} lattice iterations, on {@code samples} evenly spread pixels. */
    static Agreement sampledStep(DenseCrf crf, CrfInput input, int before, int samples) {
        int n = input.width() * input.height();
        int m = input.unary().labels();
        int[] pixels = ExactRowSums.evenSample(n, samples);
        float[] next;
        float[] exact;
        try (CrfSession s = crf.start(input)) {
            s.step(before);
            INDArray q = s.marginals();
            exact = ExactDenseCrf.of(crf).stepAt(input, q, pixels);
            next = s.step().marginals().data().asFloat(); // M×H×W
        }
        int same = 0;
        double diff = 0;
        for (int k = 0; k < pixels.length; k++) {
            int a = 0;
            int b = 0;
            for (int l = 0; l < m; l++) {
                float ql = next[l * n + pixels[k]];
                float el = exact[k * m + l];
                diff += Math.abs(ql - el);
                if (ql > next[a * n + pixels[k]]) {
                    a = l;
                }
                if (el > exact[k * m + b]) {
                    b = l;
                }
            }
            if (a == b) {
                same++;
            }
        }
        return new Agreement((double) same / pixels.length, diff / ((double) pixels.length * m));
    }
}
