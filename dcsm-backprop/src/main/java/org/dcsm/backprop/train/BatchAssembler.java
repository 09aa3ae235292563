package org.dcsm.backprop.train;

import java.util.List;

import org.dcsm.core.impl.NdArrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds a training mini-batch as the paper does (§3.1): each image is optionally normalised to a longest
 * side, all images of the batch are rescaled by one common random factor, and each is zero-padded into the
 * centre of a canvas as high as the highest and as wide as the widest rescaled image of the batch (each side
 * at least the network's minimum input size). Zero in the preprocessed (mean-subtracted) space is the mean
 * colour. The canvas is not a square of the longest side: a 10000×4 image gets a 10000×minimum canvas, not
 * 10000². Sizes are computed in {@code long} and a batch over {@link #MAX_VALUES} values is refused before
 * anything is allocated. Bilinear resampling with half-pixel centres and clamped borders, on flat float arrays.
 */
final class BatchAssembler {

    /** The most values a batch input may hold (a Java array's limit; 8 GiB of floats). */
    static final long MAX_VALUES = Integer.MAX_VALUE - 8L;

    private BatchAssembler() {
    }

    /** A batch: the input [n, 3, height, width] and the flat targets [n·k]. */
    record Batch(INDArray input, float[] labels, int height, int width) {

        /** The canvas's longer side (what a model records as its training input size). */
        int canvas() {
            return Math.max(height, width);
        }
    }

    /**
     * @throws IllegalArgumentException for a class id outside {@code 1..numClasses}, or a batch whose canvas
     *                                  would hold more than {@link #MAX_VALUES} values (the message gives the
     *                                  canvas and the largest image)
     */
    static Batch assemble(List<LabeledImage> images, int numClasses, double scale, int longestSide, int minCanvas) {
        return assemble(images, numClasses, scale, longestSide, minCanvas, null);
    }

    /**
     * {@link #assemble(List, int, double, int, int)}, with image {@code i} mirrored left to right when
     * {@code mirror[i]} ({@code mirror} null: none is).
     */
    static Batch assemble(List<LabeledImage> images, int numClasses, double scale, int longestSide, int minCanvas,
            boolean[] mirror) {
        int n = images.size();
        if (mirror != null && mirror.length != n) {
            throw new IllegalArgumentException("mirror must have one flag per image (" + n + "), found " + mirror.length);
        }
        int[] hs = new int[n];
        int[] ws = new int[n];
        long canvasH = minCanvas;
        long canvasW = minCanvas;
        int largest = 0;
        for (int i = 0; i < n; i++) {
            LabeledImage im = images.get(i);
            double f = scale;
            if (longestSide > 0) {
                f *= (double) longestSide / Math.max(im.height(), im.width());
            }
            long h = Math.max(1, Math.round(im.height() * f));
            long w = Math.max(1, Math.round(im.width() * f));
            if ((double) h * w > MAX_VALUES / 3) {
                throw new IllegalArgumentException("Image " + i + " of the batch (" + im.width() + "x" + im.height()
                        + ", WxH) is " + w + "x" + h + " after rescaling by " + f + ": more than " + MAX_VALUES
                        + " values; lower the scale or the longest side");
            }
            hs[i] = (int) h;
            ws[i] = (int) w;
            if ((long) hs[i] * ws[i] > (long) hs[largest] * ws[largest]) {
                largest = i;
            }
            canvasH = Math.max(canvasH, h);
            canvasW = Math.max(canvasW, w);
        }
        long values = n * 3L * canvasH * canvasW;
        if (values > MAX_VALUES) {
            throw new IllegalArgumentException("A batch of " + n + " images needs a " + canvasW + "x" + canvasH
                    + " (WxH) canvas, " + values + " values, more than " + MAX_VALUES + " (largest image: "
                    + images.get(largest).width() + "x" + images.get(largest).height()
                    + "); lower the batch size, the scale or the longest side");
        }
        int height = (int) canvasH;
        int width = (int) canvasW;
        int plane = height * width;
        float[] out = new float[(int) values];
        float[] labels = new float[n * numClasses];
        for (int i = 0; i < n; i++) {
            LabeledImage im = images.get(i);
            float[] src = NdArrays.toFloats(im.image());
            float[] resized = resize(src, 3, im.height(), im.width(), hs[i], ws[i]);
            int top = (height - hs[i]) / 2;
            int left = (width - ws[i]) / 2;
            for (int c = 0; c < 3; c++) {
                int dstBase = (i * 3 + c) * plane;
                int srcBase = c * hs[i] * ws[i];
                for (int y = 0; y < hs[i]; y++) {
                    int from = srcBase + y * ws[i];
                    int to = dstBase + (top + y) * width + left;
                    if (mirror != null && mirror[i]) {
                        for (int x = 0, last = ws[i] - 1; x <= last; x++) {
                            out[to + last - x] = resized[from + x];
                        }
                    } else {
                        System.arraycopy(resized, from, out, to, ws[i]);
                    }
                }
            }
            for (int id : im.classIds()) {
                if (id > numClasses) {
                    throw new IllegalArgumentException("class id " + id + " of " + im + " is outside 1.." + numClasses
                            + " (the model's foreground classes)");
                }
                labels[i * numClasses + id - 1] = 1f;
            }
        }
        return new Batch(Nd4j.create(out, new long[] {n, 3, height, width}, 'c'), labels, height, width);
    }

    /** Bilinear resize of a flat [c, h, w] array to [c, oh, ow]; returns {@code src} itself when unchanged. */
    static float[] resize(float[] src, int c, int h, int w, int oh, int ow) {
        if (oh == h && ow == w) {
            return src;
        }
        float[] dst = new float[c * oh * ow];
        int[] x0 = new int[ow];
        int[] x1 = new int[ow];
        float[] fx = new float[ow];
        double sx = (double) w / ow;
        for (int x = 0; x < ow; x++) {
            double xs = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
            x0[x] = (int) xs;
            x1[x] = Math.min(x0[x] + 1, w - 1);
            fx[x] = (float) (xs - x0[x]);
        }
        double sy = (double) h / oh;
        for (int y = 0; y < oh; y++) {
            double ys = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
            int y0 = (int) ys;
            int y1 = Math.min(y0 + 1, h - 1);
            float fy = (float) (ys - y0);
            for (int ch = 0; ch < c; ch++) {
                int r0 = ch * h * w + y0 * w;
                int r1 = ch * h * w + y1 * w;
                int o = ch * oh * ow + y * ow;
                for (int x = 0; x < ow; x++) {
                    float top = src[r0 + x0[x]] + fx[x] * (src[r0 + x1[x]] - src[r0 + x0[x]]);
                    float bot = src[r1 + x0[x]] + fx[x] * (src[r1 + x1[x]] - src[r1 + x0[x]]);
                    dst[o + x] = top + fy * (bot - top);
                }
            }
        }
        return dst;
    }
}
