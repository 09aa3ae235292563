package org.dcsm.backprop.train;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds a training mini-batch as the paper does (§3.1): each image is optionally normalised to a longest
 * side, all images of the batch are rescaled by one common random factor, and each is zero-padded into the
 * centre of a square canvas (the largest rescaled side of the batch, at least the network's minimum input
 * size). Zero in the preprocessed (mean-subtracted) space is the mean colour. Bilinear resampling with
 * half-pixel centres and clamped borders, on flat float arrays.
 */
final class BatchAssembler {

    private BatchAssembler() {
    }

    /** A batch: the input [n, 3, S, S] and the flat targets [n·k]. */
    record Batch(INDArray input, float[] labels, int canvas) {
    }

    static Batch assemble(List<LabeledImage> images, int numClasses, double scale, int longestSide, int minCanvas) {
        int n = images.size();
        int[] hs = new int[n];
        int[] ws = new int[n];
        int canvas = minCanvas;
        for (int i = 0; i < n; i++) {
            LabeledImage im = images.get(i);
            double f = scale;
            if (longestSide > 0) {
                f *= (double) longestSide / Math.max(im.height(), im.width());
            }
            hs[i] = Math.max(1, (int) Math.round(im.height() * f));
            ws[i] = Math.max(1, (int) Math.round(im.width() * f));
            canvas = Math.max(canvas, Math.max(hs[i], ws[i]));
        }
        int plane = canvas * canvas;
        float[] out = new float[n * 3 * plane];
        float[] labels = new float[n * numClasses];
        for (int i = 0; i < n; i++) {
            LabeledImage im = images.get(i);
            float[] src = im.image().castTo(DataType.FLOAT).dup('c').data().asFloat();
            float[] resized = resize(src, 3, im.height(), im.width(), hs[i], ws[i]);
            int top = (canvas - hs[i]) / 2;
            int left = (canvas - ws[i]) / 2;
            for (int c = 0; c < 3; c++) {
                int dstBase = (i * 3 + c) * plane;
                int srcBase = c * hs[i] * ws[i];
                for (int y = 0; y < hs[i]; y++) {
                    System.arraycopy(resized, srcBase + y * ws[i], out, dstBase + (top + y) * canvas + left, ws[i]);
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
        return new Batch(Nd4j.create(out, new long[] {n, 3, canvas, canvas}, 'c'), labels, canvas);
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
