package org.dcsm.core;

import java.util.Arrays;
import java.util.Objects;

import org.dcsm.core.impl.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bilinear resizing of {@code C×H×W} float maps, used by the paper to up-sample per-layer saliency
 * (§3.3) and by {@link MultiScaleAggregator} to bring every layer and scale to one size before
 * Eq. 5.
 *
 * <p><b>Pixel-centre convention (half-pixel centres).</b> Pixel {@code x} covers {@code [x, x+1)} and
 * its centre is {@code x + 0.5}. Output column {@code xOut} samples the input at
 * <pre>    xIn = (xOut + 0.5) · inWidth / outWidth − 0.5</pre>
 * (rows likewise), clamped to {@code [0, inWidth − 1]}, so border pixels are replicated rather than
 * blended with zeros. This is OpenCV's {@code INTER_LINEAR}, PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)} and TensorFlow 2's {@code resize}
 * convention. It does not low-pass filter when shrinking (no antialiasing, as OpenCV and PyTorch by
 * default): each output pixel blends the (at most) four nearest input pixels.
 *
 * <p>Equal input and output sizes give an exact copy. Values are computed in float; the weights
 * of the four neighbours sum to one, so a constant map stays constant and the output lies within the
 * input's range (up to float rounding).
 *
 * <p>Stateless and thread-safe. Every method returns a new array (or writes the caller's output
 * array); inputs are not modified.
 */
public final class BilinearResize {

    private BilinearResize() {
    }

    /**
     * Resizes each channel of a {@code C×H×W} array to {@code outHeight × outWidth}.
     *
     * @param chw       rank-3 array of any floating or integer type; not modified
     * @param outHeight output height, &gt; 0
     * @param outWidth  output width, &gt; 0
     * @return a new {@code C×outHeight×outWidth} float array in 'c' order (a copy, never a view)
     * @throws IllegalArgumentException when {@code chw} is not rank 3, is empty, or a size is not positive
     */
    public static INDArray resize(INDArray chw, int outHeight, int outWidth) {
        Objects.requireNonNull(chw, "chw");
        if (chw.rank() != 3) {
            throw new IllegalArgumentException("Bilinear resize needs a C×H×W array (rank 3), found shape "
                    + Arrays.toString(chw.shape()));
        }
        long c = chw.size(0);
        long h = chw.size(1);
        long w = chw.size(2);
        if (c == 0 || h == 0 || w == 0) {
            throw new IllegalArgumentException("Bilinear resize needs a non-empty C×H×W array, found shape "
                    + Arrays.toString(chw.shape()));
        }
        requirePositive("outHeight", outHeight);
        requirePositive("outWidth", outWidth);
        float[] src = NdArrays.toFloats(chw);
        float[] dst = resize(src, (int) c, (int) h, (int) w, null, outHeight, outWidth);
        return Nd4j.create(dst, new long[] {c, outHeight, outWidth}, 'c');
    }

    /**
     * Resizes {@code channels} row-major planes stored one after another in {@code src}
     * (the flat form of a 'c'-order {@code C×H×W} array).
     *
     * @param src       {@code channels·inHeight·inWidth} values; not modified
     * @param channels  number of planes, &gt; 0
     * @param inHeight  input height, &gt; 0
     * @param inWidth   input width, &gt; 0
     * @param dst       output of length {@code channels·outHeight·outWidth}, or {@code null} to allocate
     *                  one; modified
     * @param outHeight output height, &gt; 0
     * @param outWidth  output width, &gt; 0
     * @return {@code dst}, or the new array when {@code dst} was {@code null}
     * @throws IllegalArgumentException when a size is not positive or an array length does not match
     */
    public static float[] resize(float[] src, int channels, int inHeight, int inWidth,
                                 float[] dst, int outHeight, int outWidth) {
        Objects.requireNonNull(src, "src");
        requirePositive("channels", channels);
        requirePositive("inHeight", inHeight);
        requirePositive("inWidth", inWidth);
        requirePositive("outHeight", outHeight);
        requirePositive("outWidth", outWidth);
        long inPlane = (long) inHeight * inWidth;
        long outPlane = (long) outHeight * outWidth;
        if (src.length != channels * inPlane) {
            throw new IllegalArgumentException("src must hold channels·inHeight·inWidth = " + channels + "·"
                    + inHeight + "·" + inWidth + " = " + channels * inPlane + " values, found " + src.length);
        }
        long outLength = channels * outPlane;
        if (outLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Output of " + channels + "×" + outHeight + "×" + outWidth
                    + " is too large for one float array");
        }
        if (dst == null) {
            dst = new float[(int) outLength];
        } else if (dst.length != outLength) {
            throw new IllegalArgumentException("dst must hold channels·outHeight·outWidth = " + outLength
                    + " values, found " + dst.length);
        }
        if (inHeight == outHeight && inWidth == outWidth) {
            System.arraycopy(src, 0, dst, 0, src.length);
            return dst;
        }
        Axis xs = Axis.of(inWidth, outWidth);
        Axis ys = Axis.of(inHeight, outHeight);
        float[] rowLo = new float[outWidth];
        float[] rowHi = new float[outWidth];
        for (int ch = 0; ch < channels; ch++) {
            int inBase = (int) (ch * inPlane);
            int outBase = (int) (ch * outPlane);
            for (int yo = 0; yo < outHeight; yo++) {
                int r0 = inBase + ys.lo[yo] * inWidth;
                int r1 = inBase + ys.hi[yo] * inWidth;
                interpolateRow(src, r0, xs, rowLo);
                interpolateRow(src, r1, xs, rowHi);
                float wy = ys.weight[yo];
                int o = outBase + yo * outWidth;
                for (int xo = 0; xo < outWidth; xo++) {
                    float a = rowLo[xo];
                    dst[o + xo] = a + wy * (rowHi[xo] - a);
                }
            }
        }
        return dst;
    }

    private static void interpolateRow(float[] src, int rowStart, Axis xs, float[] out) {
        int[] lo = xs.lo;
        int[] hi = xs.hi;
        float[] wt = xs.weight;
        for (int xo = 0; xo < out.length; xo++) {
            float a = src[rowStart + lo[xo]];
            out[xo] = a + wt[xo] * (src[rowStart + hi[xo]] - a);
        }
    }

    /**
     * The input coordinate sampled by output index {@code outIndex} along an axis, clamped to
     * {@code [0, inSize − 1]}: {@code (outIndex + 0.5)·inSize/outSize − 0.5}. Exposed so that other
     * code (e.g. inverse mappings of padded canvases) can use exactly the same convention.
     */
    public static double sourceCoordinate(int outIndex, int inSize, int outSize) {
        requirePositive("inSize", inSize);
        requirePositive("outSize", outSize);
        double s = (outIndex + 0.5) * inSize / outSize - 0.5;
        return Math.min(Math.max(s, 0.0), inSize - 1);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, found " + value);
        }
    }

    /** Per output index along one axis: the two input neighbours and the weight of the upper one. */
    private static final class Axis {
        final int[] lo;
        final int[] hi;
        final float[] weight;

        private Axis(int n) {
            lo = new int[n];
            hi = new int[n];
            weight = new float[n];
        }

        static Axis of(int inSize, int outSize) {
            Axis a = new Axis(outSize);
            for (int o = 0; o < outSize; o++) {
                double s = sourceCoordinate(o, inSize, outSize);
                int i0 = (int) Math.floor(s);
                if (i0 >= inSize - 1) {
                    i0 = inSize - 1;
                    a.lo[o] = i0;
                    a.hi[o] = i0;
                    a.weight[o] = 0f;
                } else {
                    a.lo[o] = i0;
                    a.hi[o] = i0 + 1;
                    a.weight[o] = (float) (s - i0);
                }
            }
            return a;
        }
    }
}
