package org.dcsm.backprop.train;

/**
 * Global pooling of the class score map followed by the sigmoid cross-entropy (Eq. 1–2), with the pooling
 * a mix {@code s = p·max + (1 − p)·mean} over the h×w positions of each class channel ({@code p = 1} is the
 * paper's global max pooling). Forward and backward on flat float arrays in NCHW order.
 *
 * <p>Loss per image: Σ_k softplus(s_k) − y_k·s_k (= −y log σ(s) − (1 − y) log(1 − σ(s))), averaged over the
 * batch, as DL4J's XENT loss layer. Gradient: dL/ds_k = (σ(s_k) − y_k) / N, routed to the (first) maximum
 * position with weight p and spread evenly over all positions with weight (1 − p)/(h·w).
 */
final class MixedGlobalPoolingLoss {

    private MixedGlobalPoolingLoss() {
    }

    /**
     * @param scoreMap flat [n, k, h, w] class score map (not modified)
     * @param labels   flat [n, k] targets in {0, 1} (not modified)
     * @param p        weight of max pooling in [0, 1]
     * @param probs    output [n·k], σ(s) per image and class (modified)
     * @param grad     output [n·k·h·w], dL/d(score map) (overwritten)
     * @return the loss, mean over the batch
     */
    static double forwardBackward(float[] scoreMap, float[] labels, int n, int k, int h, int w, double p,
            float[] probs, float[] grad) {
        int hw = h * w;
        double total = 0;
        java.util.Arrays.fill(grad, 0f);
        for (int i = 0; i < n * k; i++) {
            int off = i * hw;
            float max = Float.NEGATIVE_INFINITY;
            int arg = 0;
            double sum = 0;
            for (int j = 0; j < hw; j++) {
                float v = scoreMap[off + j];
                sum += v;
                if (v > max) {
                    max = v;
                    arg = j;
                }
            }
            double s = p * max + (1 - p) * (sum / hw);
            double y = labels[i];
            double sig = sigmoid(s);
            probs[i] = (float) sig;
            total += softplus(s) - y * s;
            double d = (sig - y) / n;
            float spread = (float) ((1 - p) * d / hw);
            if (spread != 0f) {
                for (int j = 0; j < hw; j++) {
                    grad[off + j] = spread;
                }
            }
            grad[off + arg] += (float) (p * d);
        }
        return total / n;
    }

    static double sigmoid(double s) {
        return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
    }

    /** log(1 + e^s) without overflow. */
    static double softplus(double s) {
        return s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
    }
}
