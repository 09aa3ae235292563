package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;

import org.dcsm.core.io.ImageLoader;
import org.dcsm.core.preprocess.VggPreprocessor;
import org.dcsm.core.render.Colormap;
import org.dcsm.core.render.HeatMap;
import org.dcsm.core.render.LabelOverlay;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CONTRIBUTING.md's builder convention on dcsm-core's configured objects: the preset is the builder's defaults, and
 * {@code toBuilder().build()} gives an object that behaves as the one it came from (customised settings kept).
 */
class BuilderConventionTest {

    private static final INDArray RGB = ramp(3 * 4 * 5, 255).reshape(3, 4, 5);

    /** {@code n} values from 0 to {@code top}. */
    private static INDArray ramp(int n, float top) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = top * i / (n - 1);
        }
        return Nd4j.create(v, new long[] {n}, 'c');
    }

    @Test
    void vggPreprocessor() {
        assertThat(VggPreprocessor.vgg().toString()).isEqualTo(VggPreprocessor.builder().build().toString());
        VggPreprocessor custom = VggPreprocessor.builder().longestSide(8).squareCanvas(true).meanRgb(1, 2, 3)
                .channelOrder(VggPreprocessor.ChannelOrder.RGB).build();
        VggPreprocessor copy = custom.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(custom.toString()).isNotEqualTo(VggPreprocessor.vgg().toString());
        assertThat(copy.prepare(RGB).input()).isEqualTo(custom.prepare(RGB).input());
    }

    @Test
    void imageLoader() {
        ImageLoader custom = ImageLoader.builder().maxPixels(1234).alphaPolicy(ImageLoader.AlphaPolicy.DROP).strict(true)
                .build();
        assertThat(custom.toBuilder().build().toString()).isEqualTo(custom.toString())
                .isEqualTo("ImageLoader[maxPixels=1234, alpha=DROP, strict=true]");
        assertThat(ImageLoader.defaults().toBuilder().build().toString()).isEqualTo(ImageLoader.defaults().toString());
    }

    @Test
    void heatMapAndOverlay() {
        HeatMap custom = HeatMap.builder().alpha(1.5).colormap(Colormap.HOT).build();
        HeatMap copy = custom.toBuilder().build();
        INDArray map = ramp(12, 1).reshape(3, 4);
        assertThat(copy.alpha()).isEqualTo(1.5);
        assertThat(pixels(copy.render(map))).containsExactly(pixels(custom.render(map)));
        assertThat(pixels(custom.render(map))).isNotEqualTo(pixels(HeatMap.paper().render(map)));

        LabelMap labels = LabelMap.of(5, 4, new int[] {0, 1, 1, 2, 2, 0, 1, 1, 2, 2, 0, 0, 3, 3, 3, 0, 0, 3, 3, LabelMap.VOID});
        LabelOverlay overlay = LabelOverlay.builder().opacity(0.8).includeBackground(true).drawVoid(false).build();
        assertThat(pixels(overlay.toBuilder().build().overlay(RGB, labels))).containsExactly(pixels(overlay.overlay(RGB, labels)));
        assertThat(pixels(overlay.overlay(RGB, labels))).isNotEqualTo(pixels(LabelOverlay.defaults().overlay(RGB, labels)));
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
