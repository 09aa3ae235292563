package org.dcsm.backprop.saliency;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The memory estimate on a network small enough to count by hand. */
class SaliencyMemoryTest {

    /** c1 (3×3 same, 3 → 2, ReLU), p1 (2×2/2, floor), fc8 (1×1, 2 → 2): minimum input 2×2. */
    private static final MultiLayerNetwork NET = TestNets.oneConvFcn();

    @Test
    void countedByHandForOneScale() {
        SaliencyExtractor e = SaliencyExtractor.forNetwork(NET).layers("c1").build();
        // 4x6 image at its own size, floats (4 bytes):
        //   forward kept: input 3·4·6 = 72, c1 2·4·6 = 48, p1 2·2·3 = 12 (+ 12 argmax), fc8 2·2·3 = 12:
        //   156 values
        //   transient: c1's columns 3·3·3·4·6 = 648, gradients 2 · max(72, 48) = 144: 792 values per candidate
        //   maps: 2 copies · 4 bytes · 1 layer · 1 scale · 24 pixels per candidate = 192 bytes
        assertThat(e.estimateBytes(4, 6, 1)).isEqualTo(4 * 156 + 4 * 792 + 192);
        assertThat(e.estimateBytes(4, 6, 3)).isEqualTo(4 * 156 + 3 * 4 * 792 + 3 * 192);
        assertThat(e.estimateBytes(4, 6, 0)).as("at least one candidate").isEqualTo(e.estimateBytes(4, 6, 1));
    }

    @Test
    void scalesAddTheirForwardsAndPaddingCountsTheMinimum() {
        SaliencyExtractor e = SaliencyExtractor.forNetwork(NET).layers("c1").scales(6, 12).build();
        // scale 12: 8x12; kept 3·96 + 2·96 + 2·(2·4·6) + 2·24 = 288 + 192 + 96 + 48 = 624 values;
        // columns 27·96 = 2592, gradients 2·288 = 576: 3168; maps 2·4·1·2·24 = 384 bytes
        assertThat(e.estimateBytes(4, 6, 1)).isEqualTo(4 * 156 + 4 * 624 + 4 * 3168 + 384);
        // a 1x1 image runs padded to the 2x2 minimum: kept 12 + 8 + 2 + 2 + 2 = 26, transient 108 + 24 = 132
        SaliencyExtractor own = SaliencyExtractor.forNetwork(NET).layers("c1").build();
        assertThat(own.estimateBytes(1, 1, 1)).isEqualTo(4 * 26 + 4 * 132 + 8);
    }

    @Test
    void saturatesInsteadOfOverflowing() {
        SaliencyExtractor e = SaliencyExtractor.forNetwork(NET).layers("c1").scaleFactors(16).build();
        assertThat(e.estimateBytes(Integer.MAX_VALUE, Integer.MAX_VALUE, 1000)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void growsWithTheImageAndTheCandidates() {
        SaliencyExtractor e = SaliencyExtractor.forNetwork(TestNets.tinyFcn(DataType.FLOAT, 1, 4))
                .layers("conv1_2", "conv2_1", "fc6").scaleFactors(1, 1.25, 1.5).build();
        long small = e.estimateBytes(100, 100, 3);
        assertThat(e.estimateBytes(200, 200, 3)).isGreaterThan(3 * small);
        assertThat(e.estimateBytes(100, 100, 4)).isGreaterThan(small);
    }
}
