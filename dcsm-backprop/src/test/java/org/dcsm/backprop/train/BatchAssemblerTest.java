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
        // 10x20 * 1.5 = 15x30, 4x4 * 1.5 = 6x6: canvas 15 high (the highest), 30 wide (the widest)
        assertThat(b.height()).isEqualTo(15);
        assertThat(b.width()).isEqualTo(30);
        assertThat(b.canvas()).isEqualTo(30);
        INDArray in = b.input();
        assertThat(in.shape()).containsExactly(2, 3, 15, 30);
        // the first image fills the canvas
        assertThat(in.getFloat(0, 0, 0, 0)).isEqualTo(5f);
        assertThat(in.getFloat(0, 2, 14, 29)).isEqualTo(5f);
        // second: 6x6 at (top (15 - 6) / 2 = 4, left (30 - 6) / 2 = 12)
        assertThat(in.getFloat(1, 1, 4, 12)).isEqualTo(7f);
        assertThat(in.getFloat(1, 1, 9, 17)).isEqualTo(7f);
        assertThat(in.getFloat(1, 1, 3, 12)).isEqualTo(0f);
        assertThat(in.getFloat(1, 1, 10, 17)).isEqualTo(0f);
        assertThat(in.getFloat(1, 1, 4, 11)).isEqualTo(0f);
        assertThat(in.getFloat(1, 1, 4, 18)).isEqualTo(0f);
        assertThat(b.labels()).containsExactly(1, 0, 0, 0, 1, 1);
    }

    @Test
    void canvasIsAtLeastTheMinimumAndLongestSideNormalises() {
        BatchAssembler.Batch b = BatchAssembler.assemble(List.of(constant(10, 5, 1f, 1)), 1, 1.0, 0, 32);
        assertThat(b.input().shape()).containsExactly(1, 3, 32, 32);
        BatchAssembler.Batch c = BatchAssembler.assemble(List.of(constant(10, 5, 1f, 1)), 1, 0.5, 40, 4);
        assertThat(c.input().shape()).containsExactly(1, 3, 20, 10); // 40 / 10 * 0.5 = 2x: 20x10
        assertThat(c.canvas()).isEqualTo(20);
    }

    @Test
    void anElongatedImageGetsAnElongatedCanvasNotASquare() {
        // 4 high, 10000 wide: the canvas is 32 x 10000 (1.28 M values), not 10000² (10⁸ per channel)
        BatchAssembler.Batch b = BatchAssembler.assemble(List.of(constant(4, 10000, 1f, 1)), 1, 1.0, 0, 32);
        assertThat(b.input().shape()).containsExactly(1, 3, 32, 10000);
        assertThat(b.input().length()).isEqualTo(3L * 32 * 10000);
    }

    @Test
    void aBatchOverTheArrayLimitIsRefusedBeforeAllocation() {
        // a 40000-wide image beside a 40000-high one: 40000² canvas, 2·3·1.6e9 values, overflowed an int before
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchAssembler.assemble(
                List.of(constant(1, 40000, 0f, 1), constant(40000, 1, 0f, 1)), 1, 1.0, 0, 4));
        assertThat(e.getMessage()).contains("40000x40000 (WxH) canvas").contains("9600000000 values")
                .contains("lower the batch size");
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> BatchAssembler.assemble(List.of(constant(2, 2, 0f, 1)), 1, 1e6, 0, 4));
        assertThat(big.getMessage()).contains("2000000x2000000 after rescaling").contains("lower the scale");
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

    @Test
    void mirroredImagesAreFlippedLeftToRightInTheirPlace() {
        // a 1x3 image with values 1, 2, 3 in every channel, at scale 1 on a 1x3 canvas (minimum 1)
        float[] rgb = {1, 2, 3, 1, 2, 3, 1, 2, 3};
        LabeledImage im = new LabeledImage(org.nd4j.linalg.factory.Nd4j.create(rgb, new long[] {3, 1, 3}, 'c'),
                new int[] {1});
        BatchAssembler.Batch b = BatchAssembler.assemble(List.of(im, im), 1, 1.0, 0, 1, new boolean[] {true, false});
        assertThat(b.input().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(2))
                .toFloatVector()).containsExactly(3, 2, 1);
        assertThat(b.input().get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(2))
                .toFloatVector()).containsExactly(1, 2, 3);
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BatchAssembler.assemble(List.of(im), 1, 1.0, 0, 1, new boolean[2])).getMessage())
                .contains("one flag per image (1), found 2");
    }
}
