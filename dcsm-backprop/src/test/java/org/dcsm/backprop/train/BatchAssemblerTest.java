package org.dcsm.backprop.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchAssemblerTest {

    private static LabeledImage constant(int h, int w, float value, int... ids) {
        return new LabeledImage(Nd4j.valueArrayOf(new long[] {3, h, w}, value, DataType.FLOAT), ids);
    }

    @Test
    void imagesAreRescaledAndCentredOnAZeroCanvas() {
        BatchAssembler.Batch b = BatchAssembler.assemble(List.of(constant(10, 20, 5f, 1), constant(4, 4, 7f, 2, 3)),
                3, 1.5, 0, 8);
        // 10x20 * 1.5 = 15x30, 4x4 * 1.5 = 6x6: canvas 30
        assertThat(b.canvas()).isEqualTo(30);
        INDArray in = b.input();
        assertThat(in.shape()).containsExactly(2, 3, 30, 30);
        // first image occupies rows 7..21 (top = (30 - 15) / 2 = 7)
        assertThat(in.getFloat(0, 0, 6, 10)).isEqualTo(0f);
        assertThat(in.getFloat(0, 0, 7, 0)).isEqualTo(5f);
        assertThat(in.getFloat(0, 2, 21, 29)).isEqualTo(5f);
        assertThat(in.getFloat(0, 2, 22, 29)).isEqualTo(0f);
        // second: 6x6 at (12, 12)
        assertThat(in.getFloat(1, 1, 12, 12)).isEqualTo(7f);
        assertThat(in.getFloat(1, 1, 17, 17)).isEqualTo(7f);
        assertThat(in.getFloat(1, 1, 11, 12)).isEqualTo(0f);
        assertThat(in.getFloat(1, 1, 18, 17)).isEqualTo(0f);
        assertThat(b.labels()).containsExactly(1, 0, 0, 0, 1, 1);
    }

    @Test
    void canvasIsAtLeastTheMinimumAndLongestSideNormalises() {
        BatchAssembler.Batch b = BatchAssembler.assemble(List.of(constant(10, 5, 1f, 1)), 1, 1.0, 0, 32);
        assertThat(b.canvas()).isEqualTo(32);
        BatchAssembler.Batch c = BatchAssembler.assemble(List.of(constant(10, 5, 1f, 1)), 1, 0.5, 40, 4);
        assertThat(c.canvas()).isEqualTo(20); // 40 / 10 * 0.5 = 2x: 20x10
    }

    @Test
    void bilinearResizeByHand() {
        // 1x2 -> 1x4 with half-pixel centres: x_src = (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 (clamped)
        float[] out = BatchAssembler.resize(new float[] {0, 4}, 1, 1, 2, 1, 4);
        assertThat(out).containsExactly(0f, 1f, 3f, 4f);
        float[] same = {1, 2, 3};
        assertThat(BatchAssembler.resize(same, 1, 1, 3, 1, 3)).isSameAs(same);
    }

    @Test
    void unknownClassIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchAssembler.assemble(List.of(constant(4, 4, 0f, 5)), 3, 1, 0, 4));
        assertThat(e.getMessage()).contains("class id 5").contains("outside 1..3");
    }
}
