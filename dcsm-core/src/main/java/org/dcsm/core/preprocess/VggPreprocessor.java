package org.dcsm.core.preprocess;

import java.util.Locale;
import java.util.Objects;

import org.dcsm.core.impl.Checks;
import org.dcsm.core.impl.NdArrays;
import org.dcsm.core.io.Images;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a {@code 3×H×W} RGB image (values 0–255, as {@link org.dcsm.core.io.ImageLoader} reads it) into
 * the {@code 1×3×H'×W'} input of a Caffe-trained VGG network, in this order:
 * <ol>
 * <li>resize keeping the aspect ratio so that the longer side is {@link Builder#longestSide(int)}
 *     (skipped when 0, the default);</li>
 * <li>subtract the per-channel mean, by default VGG's ImageNet mean R 123.68, G 116.779, B 103.939;</li>
 * <li>reorder the channels to B, G, R (Caffe's order, the default) or keep R, G, B;</li>
 * <li>with {@link Builder#squareCanvas(boolean)}, pad the image into the centre of a
 *     {@code side × side} canvas ({@code side} = the longest side) with zeros — zero <em>after</em> the
 *     mean subtraction, i.e. the mean colour in pixel terms. This is the authors' code's way (a 500 px
 *     canvas) in place of stretching the image to a square.</li>
 * </ol>
 * The {@link CanvasPlacement} returned with the input maps results on the canvas back to the original
 * pixels. Immutable and thread-safe.
 */
public final class VggPreprocessor {

    /** VGG's ImageNet mean, red. */
    public static final double VGG_MEAN_R = 123.68;
    /** VGG's ImageNet mean, green. */
    public static final double VGG_MEAN_G = 116.779;
    /** VGG's ImageNet mean, blue. */
    public static final double VGG_MEAN_B = 103.939;

    /** Channel order of the network input. */
    public enum ChannelOrder {
        /** Blue, green, red: Caffe / the original VGG weights (default). */
        BGR,
        /** Red, green, blue: networks trained on RGB input. */
        RGB
    }

    /** A prepared input with the placement that maps the canvas back to the image. */
    public static final class Prepared {
        private final INDArray input;
        private final CanvasPlacement placement;

        private Prepared(INDArray input, CanvasPlacement placement) {
            this.input = input;
            this.placement = placement;
        }

        /** The {@code 1×3×canvasHeight×canvasWidth} float input (the caller's own array, not shared). */
        public INDArray input() {
            return input;
        }

        /** Where the image lies on the canvas. */
        public CanvasPlacement placement() {
            return placement;
        }
    }

    private final int longestSide;
    private final boolean squareCanvas;
    private final double[] meanRgb;
    private final ChannelOrder order;

    private VggPreprocessor(Builder b) {
        this.longestSide = b.longestSide;
        this.squareCanvas = b.squareCanvas;
        this.meanRgb = new double[] {b.meanR, b.meanG, b.meanB};
        this.order = b.order;
    }

    /** VGG preprocessing at the image's own size (BGR, VGG mean, no resize, no canvas). */
    public static VggPreprocessor vgg() {
        return builder().build();
    }

    /** A builder starting from {@link #vgg()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this preprocessor's settings. */
    public Builder toBuilder() {
        return new Builder().longestSide(longestSide).squareCanvas(squareCanvas)
                .meanRgb(meanRgb[0], meanRgb[1], meanRgb[2]).channelOrder(order);
    }

    /** Builder for {@link VggPreprocessor}; validated in {@link #build()}. */
    public static final class Builder {
        private int longestSide;
        private boolean squareCanvas;
        private double meanR = VGG_MEAN_R;
        private double meanG = VGG_MEAN_G;
        private double meanB = VGG_MEAN_B;
        private ChannelOrder order = ChannelOrder.BGR;

        private Builder() {
        }

        /** Resize so the longer side is {@code side} pixels; 0 keeps the size (default). */
        public Builder longestSide(int side) {
            this.longestSide = side;
            return this;
        }

        /** Pad into the centre of a square canvas whose side is the (resized) longest side (default false). */
        public Builder squareCanvas(boolean square) {
            this.squareCanvas = square;
            return this;
        }

        /** The mean subtracted, given in R, G, B order (default VGG's 123.68, 116.779, 103.939). */
        public Builder meanRgb(double r, double g, double b) {
            this.meanR = r;
            this.meanG = g;
            this.meanB = b;
            return this;
        }

        /** The channel order of the output (default {@link ChannelOrder#BGR}). */
        public Builder channelOrder(ChannelOrder order) {
            this.order = order;
            return this;
        }

        public VggPreprocessor build() {
            if (longestSide < 0) {
                throw new IllegalArgumentException("longestSide must be >= 0 (0 = keep the size), found " + longestSide);
            }
            if (!Double.isFinite(meanR) || !Double.isFinite(meanG) || !Double.isFinite(meanB)) {
                throw new IllegalArgumentException("mean must be finite, found (" + meanR + ", " + meanG + ", "
                        + meanB + ")");
            }
            Checks.notNull(order, "channelOrder");
            return new VggPreprocessor(this);
        }
    }

    /**
     * Prepares one image.
     *
     * @param rgbChw {@code 3×H×W} RGB, 0–255; not modified
     * @throws IllegalArgumentException when the array is not {@code 3×H×W} or holds NaN / infinity
     */
    public Prepared prepare(INDArray rgbChw) {
        Images.requireRgbChw(rgbChw, "RGB image");
        int h = (int) rgbChw.size(1);
        int w = (int) rgbChw.size(2);
        int side = longestSide == 0 ? Math.max(w, h) : longestSide;
        CanvasPlacement placement = longestSide == 0 && !squareCanvas ? CanvasPlacement.identity(w, h)
                : CanvasPlacement.centred(w, h, side, squareCanvas);
        INDArray scaled = placement.scaledWidth() == w && placement.scaledHeight() == h ? rgbChw
                : AspectResize.toLongestSide(rgbChw, side);
        int sh = placement.scaledHeight();
        int sw = placement.scaledWidth();
        int ch = placement.canvasHeight();
        int cw = placement.canvasWidth();
        int ox = placement.offsetX();
        int oy = placement.offsetY();
        float[] src = NdArrays.toFloats(scaled);
        if (scaled != rgbChw) {
            scaled.close();
        }
        Checks.finite(src, scaled == rgbChw ? "the RGB image" : "the resized RGB image", 3, sh, sw);
        // mean subtraction, channel reordering and placement on the zero canvas in one pass
        float[] dst = new float[3 * ch * cw];
        for (int c = 0; c < 3; c++) {
            int srcChannel = order == ChannelOrder.BGR ? 2 - c : c;
            float mean = (float) meanRgb[srcChannel];
            for (int y = 0; y < sh; y++) {
                int from = (srcChannel * sh + y) * sw;
                int to = (c * ch + y + oy) * cw + ox;
                for (int x = 0; x < sw; x++) {
                    dst[to + x] = src[from + x] - mean;
                }
            }
        }
        INDArray input = Nd4j.create(dst, new long[] {1, 3, ch, cw}, 'c');
        return new Prepared(input, placement);
    }

    /** The configured longest side (0 = keep). */
    public int longestSide() {
        return longestSide;
    }

    /** Whether a square canvas is used. */
    public boolean squareCanvas() {
        return squareCanvas;
    }

    /** The output channel order. */
    public ChannelOrder channelOrder() {
        return order;
    }

    /** The mean, R, G, B (a copy). */
    public double[] meanRgb() {
        return meanRgb.clone();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "VggPreprocessor[longestSide=%d, square=%b, meanRgb=(%.3f, %.3f, %.3f), %s]",
                longestSide, squareCanvas, meanRgb[0], meanRgb[1], meanRgb[2], order);
    }
}
