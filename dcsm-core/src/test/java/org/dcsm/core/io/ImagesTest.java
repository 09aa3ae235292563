package org.dcsm.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImagesTest {

    @Test
    void interleavedRoundTrip() {
        byte[] rgb = {1, 2, 3, (byte) 250, (byte) 128, 0};
        INDArray chw = Images.fromInterleavedRgb(rgb, 2, 1);
        assertThat(chw.shape()).containsExactly(3, 1, 2);
        // planes R, G, B
        assertThat(chw.dup('c').data().asFloat()).containsExactly(1, 250, 2, 128, 3, 0);
        assertThat(Images.toInterleavedRgb(chw)).containsExactly(rgb);
        BufferedImage image = Images.toBufferedImage(rgb, 2, 1);
        assertThat(image.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xFA8000);
        assertThat(Images.toInterleavedRgb(image, ImageLoader.AlphaPolicy.DROP)).containsExactly(rgb);
        assertThat(Images.toChw(image).dup('c').data().asFloat()).containsExactly(1, 250, 2, 128, 3, 0);
    }

    @Test
    void roundsAndClamps() {
        INDArray chw = Nd4j.create(new float[] {-3f, 254.6f, 0.49f, 300f, 12.5f, 7.2f}, new long[] {3, 1, 2}, 'c');
        byte[] rgb = Images.toInterleavedRgb(chw);
        assertThat(toInts(rgb)).containsExactly(0, 0, 13, 255, 255, 7);
        assertThat(Images.toBufferedImage(chw).getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x00000D);
    }

    private static int[] toInts(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    @Test
    void rejectsBadInput() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> Images.toInterleavedRgb(Nd4j.zeros(2, 2, 2))))
                .hasMessageContaining("3×H×W").hasMessageContaining("[2, 2, 2]");
        INDArray nan = Nd4j.zeros(3, 2, 2);
        nan.putScalar(new long[] {1, 1, 0}, Float.NaN);
        assertThat(assertThrows(IllegalArgumentException.class, () -> Images.toBufferedImage(nan)))
                .hasMessage("Non-finite value NaN in RGB image at index [1, 1, 0]");
        assertThat(assertThrows(IllegalArgumentException.class, () -> Images.fromInterleavedRgb(new byte[5], 2, 1)))
                .hasMessageContaining("needs 6 bytes, found 5");
        assertThat(assertThrows(IllegalArgumentException.class, () -> Images.fromInterleavedRgb(new byte[0], 0, 1)))
                .hasMessageContaining("positive, found 0x1");
    }
}
