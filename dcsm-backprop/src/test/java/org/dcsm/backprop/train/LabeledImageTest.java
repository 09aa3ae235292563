package org.dcsm.backprop.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LabeledImageTest {

    @Test
    void fromRgbSwapsToBgrAndSubtractsTheVggMean() {
        // one pixel R=200, G=100, B=50
        INDArray rgb = Nd4j.create(new float[] {200, 100, 50}, new long[] {3, 1, 1}, 'c');
        LabeledImage im = LabeledImage.fromRgb(rgb, 3, 1, 3);
        assertThat(im.image().getFloat(0, 0, 0)).isCloseTo(50 - 103.939f, within(1e-4f));
        assertThat(im.image().getFloat(1, 0, 0)).isCloseTo(100 - 116.779f, within(1e-4f));
        assertThat(im.image().getFloat(2, 0, 0)).isCloseTo(200 - 123.68f, within(1e-4f));
        assertThat(im.classIds()).containsExactly(1, 3);
        assertThat(im.hasClass(3)).isTrue();
        assertThat(im.hasClass(2)).isFalse();
        assertThat(rgb.getFloat(0, 0, 0)).isEqualTo(200f);
    }

    @Test
    void badInputsAreNamed() {
        INDArray ok = Nd4j.zeros(DataType.FLOAT, 3, 4, 4);
        assertThat(assertThrows(IllegalArgumentException.class, () -> new LabeledImage(ok)).getMessage())
                .contains("classIds must not be empty");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new LabeledImage(ok, 0, 2)).getMessage())
                .contains("class id 0 is not a foreground class");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> new LabeledImage(Nd4j.zeros(DataType.FLOAT, 4, 4), 1)).getMessage())
                .isEqualTo("image must have shape [3, H, W], found [4, 4]");
        INDArray nan = Nd4j.zeros(DataType.FLOAT, 3, 4, 4);
        nan.putScalar(new long[] {2, 1, 0}, Float.NaN);
        assertThat(assertThrows(IllegalArgumentException.class, () -> new LabeledImage(nan, 1)).getMessage())
                .contains("Non-finite value NaN in image at index [2, 1, 0]");
    }
}
