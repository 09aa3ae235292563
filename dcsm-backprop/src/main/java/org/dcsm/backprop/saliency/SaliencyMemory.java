package org.dcsm.backprop.saliency;

/**
 * An upper estimate of the memory one {@link SaliencyExtractor#extract} call needs, from the network's layers
 * and the image's size only, so that a batch can refuse an image before it decodes a pixel. Stateless.
 *
 * <p>For every scale {@code s}, the image resized to longest side {@code s} and padded to the network's
 * minimum ({@code H_s × W_s}), with {@code C_i × h_i × w_i} the output of step {@code i} and {@code e} the bytes
 * of one value of the network's data type:
 * <ul>
 *   <li><b>forward</b>, kept for the backward walk of every scale: {@code e·(C_0·H_s·W_s + Σ_i C_i·h_i·w_i
 *       + Σ_pools C_i·h_i·w_i)} (input, every output, the max-pooling argmax);</li>
 *   <li><b>the largest transient</b>, one scale at a time: the forward's column buffer (libnd4j's im2col,
 *       {@code e·max_conv C_in·k_h·k_w·h_i·w_i}), or the backward's for {@code B} candidates at once,
 *       {@code e·B·(2·max(C_0·H_s·W_s, max_i C_i·h_i·w_i) + max_conv C_in·k_h·k_w·h_i·w_i)} over the
 *       convolutions the walk passes: the gradient into and out of a layer and the column buffer;</li>
 *   <li><b>maps</b>: {@code 2·4·L·S·B·H·W} bytes, a float map per requested layer {@code L}, scale {@code S} and
 *       candidate at the image's size {@code H × W}, once on the heap and once as an ND4J array.</li>
 * </ul>
 * The estimate is the sum of the forwards of all scales, the largest transient and the maps. The network's
 * weights are not counted (they are loaded once). docs/PERFORMANCE.md compares it with a measured run.
 */
final class SaliencyMemory {

    private SaliencyMemory() {
    }

    /**
     * @param walk        the network's walk
     * @param lowestStep  the lowest step the backward walk reaches (-1: the input)
     * @param layers      number of requested layers
     * @param scales      the image's scales (longest side)
     * @param candidates  candidate classes back-propagated at once (at least 1 is counted)
     * @return the estimate in bytes, saturated at {@link Long#MAX_VALUE}
     */
    static long bytes(FcnWalk walk, int lowestStep, int layers, int[] scales, int candidates, int height,
                      int width) {
        double e = walk.dataType().width();
        double b = Math.max(1, candidates);
        double forwards = 0;
        double backward = 0;
        long channels0 = walk.inputChannels();
        for (int s : scales) {
            long[] hw = SaliencyExtractor.scaledSize(height, width, s);
            long h = Math.max(hw[0], walk.minHeight());
            long w = Math.max(hw[1], walk.minWidth());
            double input = (double) channels0 * h * w;
            double kept = input;
            double largest = input;
            double columnsForward = 0;
            double columns = 0;
            long c = channels0;
            for (int i = 0; i < walk.stepCount(); i++) {
                FcnWalk.Step step = walk.step(i);
                if (step.geometry != null) {
                    long oh = step.geometry.outH(h);
                    long ow = step.geometry.outW(w);
                    if (step.kind == FcnWalk.Kind.CONV) {
                        double col = (double) c * step.geometry.kH * step.geometry.kW * oh * ow;
                        columnsForward = Math.max(columnsForward, col);
                        if (i >= lowestStep) {
                            columns = Math.max(columns, col);
                        }
                        c = walk.outputChannels(i);
                    }
                    h = oh;
                    w = ow;
                }
                double out = (double) c * h * w;
                kept += step.kind == FcnWalk.Kind.MAX_POOL ? 2 * out : out;
                largest = Math.max(largest, out);
            }
            forwards += e * kept;
            backward = Math.max(backward, e * Math.max(columnsForward, b * (2 * largest + columns)));
        }
        double maps = 2.0 * Float.BYTES * layers * scales.length * b * height * width;
        double total = forwards + backward + maps;
        return total >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(total);
    }
}
