package org.dcsm.core.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.dcsm.core.BilinearResize;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VggPreprocessorTest {

    /** 3×1×2: pixel 0 = (10, 20, 30), pixel 1 = (200, 150, 100). */
    static INDArray twoPixels() {
        return Nd4j.create(new float[] {10, 200, 20, 150, 30, 100}, new long[] {3, 1, 2}, 'c');
    }

    static INDArray random(int c, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] v = new float[c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 255f;
        }
        return Nd4j.create(v, new long[] {c, h, w}, 'c');
    }

    @Test
    void bgrMeanSubtraction() {
        VggPreprocessor.Prepared p = VggPreprocessor.vgg().prepare(twoPixels());
        assertThat(p.input().shape()).containsExactly(1, 3, 1, 2);
        float[] v = p.input().dup('c').data().asFloat();
        // channel 0 = B - 103.939, 1 = G - 116.779, 2 = R - 123.68
        assertThat(v[0]).isCloseTo(30f - 103.939f, within(1e-4f));
        assertThat(v[1]).isCloseTo(100f - 103.939f, within(1e-4f));
        assertThat(v[2]).isCloseTo(20f - 116.779f, within(1e-4f));
        assertThat(v[3]).isCloseTo(150f - 116.779f, within(1e-4f));
        assertThat(v[4]).isCloseTo(10f - 123.68f, within(1e-4f));
        assertThat(v[5]).isCloseTo(200f - 123.68f, within(1e-4f));
        assertThat(p.placement()).isEqualTo(CanvasPlacement.identity(2, 1));
    }

    @Test
    void rgbOrderAndCustomMean() {
        VggPreprocessor pre = VggPreprocessor.builder().channelOrder(VggPreprocessor.ChannelOrder.RGB)
                .meanRgb(1, 2, 3).build();
        assertThat(pre.prepare(twoPixels()).input().dup('c').data().asFloat())
                .containsExactly(9, 199, 18, 148, 27, 97);
        assertThat(pre.meanRgb()).containsExactly(1, 2, 3);
    }

    @Test
    void placementOnSquareCanvas() {
        CanvasPlacement land = CanvasPlacement.centred(5, 3, 10, true);
        // 5x3 -> 10x6 (3 * 10 / 5), offset y (10 - 6) / 2 = 2
        assertThat(new int[] {land.scaledWidth(), land.scaledHeight(), land.offsetX(), land.offsetY(),
            land.canvasWidth(), land.canvasHeight()}).containsExactly(10, 6, 0, 2, 10, 10);
        assertThat(land.scale()).isEqualTo(2.0);
        CanvasPlacement portrait = CanvasPlacement.centred(3, 5, 7, true);
        // 3x5 -> round(4.2) = 4 x 7, offset x (7 - 4) / 2 = 1
        assertThat(new int[] {portrait.scaledWidth(), portrait.scaledHeight(), portrait.offsetX(),
            portrait.offsetY()}).containsExactly(4, 7, 1, 0);
        CanvasPlacement noPad = CanvasPlacement.centred(3, 5, 7, false);
        assertThat(noPad.padded()).isFalse();
        assertThat(noPad.canvasWidth()).isEqualTo(4);
    }

    @Test
    void canvasPaddingIsZeroAfterMeanAndImageIsResized() {
        INDArray img = random(3, 3, 5, 1);
        VggPreprocessor.Prepared p = VggPreprocessor.builder().longestSide(10).squareCanvas(true).build().prepare(img);
        assertThat(p.input().shape()).containsExactly(1, 3, 10, 10);
        INDArray canvas = p.input().reshape(3, 10, 10);
        INDArray expected = BilinearResize.resize(img, 6, 10);
        for (int x = 0; x < 10; x++) {
            for (int c = 0; c < 3; c++) {
                assertThat(canvas.getFloat(c, 0, x)).isZero();
                assertThat(canvas.getFloat(c, 1, x)).isZero();
                assertThat(canvas.getFloat(c, 8, x)).isZero();
                assertThat(canvas.getFloat(c, 9, x)).isZero();
            }
            // B channel of row 2 of the canvas is the resized image's row 0, blue, minus 103.939
            assertThat(canvas.getFloat(0, 2, x)).isCloseTo(expected.getFloat(2, 0, x) - 103.939f, within(1e-3f));
            assertThat(canvas.getFloat(2, 7, x)).isCloseTo(expected.getFloat(0, 5, x) - 123.68f, within(1e-3f));
        }
    }

    @Test
    void restoreInvertsPlacement() {
        // scale 1: placing then restoring gives the image back exactly
        INDArray img = random(2, 3, 5, 2);
        CanvasPlacement same = CanvasPlacement.centred(5, 3, 5, true);
        assertThat(same.offsetY()).isEqualTo(1);
        INDArray back = same.restore(same.place(img, -7f));
        assertThat(back.dup('c').data().asFloat()).containsExactly(img.dup('c').data().asFloat());

        // scale 2: a map that is 1 on the image's rectangle and 0 on the padding restores to all ones
        CanvasPlacement twice = CanvasPlacement.centred(5, 3, 10, true);
        INDArray inside = twice.place(Nd4j.ones(1, 6, 10), 0f);
        INDArray restored = twice.restore(inside);
        assertThat(restored.shape()).containsExactly(1, 3, 5);
        assertThat(restored.minNumber().floatValue()).isEqualTo(1f);
        assertThat(restored.maxNumber().floatValue()).isEqualTo(1f);

        // a coarser map (half the canvas) is first brought to the canvas size
        INDArray coarse = Nd4j.valueArrayOf(new long[] {2, 5, 5}, 0.25f);
        INDArray fromCoarse = twice.restore(coarse);
        assertThat(fromCoarse.shape()).containsExactly(2, 3, 5);
        assertThat(fromCoarse.maxNumber().floatValue()).isCloseTo(0.25f, within(1e-6f));
        assertThat(fromCoarse.minNumber().floatValue()).isCloseTo(0.25f, within(1e-6f));
    }

    @Test
    void rejectsBadInput() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> VggPreprocessor.builder().longestSide(-1).build()))
                .hasMessageContaining("longestSide must be >= 0 (0 = keep the size), found -1");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> VggPreprocessor.builder().meanRgb(Double.NaN, 0, 0).build()))
                .hasMessageContaining("mean must be finite, found (NaN, 0.0, 0.0)");
        assertThat(assertThrows(IllegalArgumentException.class, () -> VggPreprocessor.vgg().prepare(Nd4j.zeros(1, 4, 4))))
                .hasMessageContaining("3×H×W").hasMessageContaining("[1, 4, 4]");
        INDArray nan = twoPixels();
        nan.putScalar(new long[] {1, 0, 1}, Float.NaN);
        assertThat(assertThrows(IllegalArgumentException.class, () -> VggPreprocessor.vgg().prepare(nan)))
                .hasMessage("Non-finite value NaN in the RGB image at index [1, 0, 1]");
        CanvasPlacement p = CanvasPlacement.centred(5, 3, 10, true);
        assertThat(assertThrows(IllegalArgumentException.class, () -> p.place(Nd4j.zeros(3, 5, 10), 0f)))
                .hasMessageContaining("Expected a C×6×10 scaled image, found shape [3, 5, 10]");
        assertThat(assertThrows(IllegalArgumentException.class, () -> p.restore(Nd4j.zeros(10, 10))))
                .hasMessageContaining("C×H×W");
        assertThat(assertThrows(IllegalArgumentException.class, () -> CanvasPlacement.centred(5, 3, 0, true)))
                .hasMessageContaining("Longest side must be > 0, found 0");
    }
}
