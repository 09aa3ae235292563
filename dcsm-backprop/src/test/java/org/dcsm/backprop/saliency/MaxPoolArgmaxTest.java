package org.dcsm.backprop.saliency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Max pooling with recorded maxima and its batched backward, by hand. */
class MaxPoolArgmaxTest {

    private static final FcnWalk.Geometry TWO_BY_TWO =
            new FcnWalk.Geometry(new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, false);

    @Test
    void routesEachCandidatesGradientToItsWindowMaximum() {
        // one channel, 2×5 (the last column is dropped by the floor):
        // [1 5 2 2 9]
        // [3 4 8 0 9]   windows: {1,5,3,4} -> 5 at (0,1); {2,2,8,0} -> 8 at (1,2)
        INDArray x = Nd4j.create(new float[] {1, 5, 2, 2, 9, 3, 4, 8, 0, 9}, new long[] {1, 1, 2, 5}, 'c');
        MaxPoolArgmax p = MaxPoolArgmax.forward(x, TWO_BY_TWO);
        assertThat(p.output.data().asFloat()).containsExactly(5f, 8f);
        assertThat(p.argmax).containsExactly(1, 7);
        // two candidates' gradients [10, 20] and [-1, -2]
        INDArray g = Nd4j.create(new float[] {10, 20, -1, -2}, new long[] {2, 1, 1, 2}, 'c');
        INDArray dx = p.backward(g);
        assertThat(dx.shape()).containsExactly(2, 1, 2, 5);
        assertThat(dx.data().asFloat()).containsExactly(
                0, 10, 0, 0, 0, 0, 0, 20, 0, 0,
                0, -1, 0, 0, 0, 0, 0, -2, 0, 0);
    }

    @Test
    void tiesGoToTheFirstInRowMajorOrderAndDoublesAreKept() {
        INDArray x = Nd4j.create(new double[] {2, 2, 2, 2}, new long[] {1, 1, 2, 2}, DataType.DOUBLE);
        MaxPoolArgmax p = MaxPoolArgmax.forward(x, TWO_BY_TWO);
        assertThat(p.argmax).containsExactly(0);
        INDArray dx = p.backward(Nd4j.create(new double[] {1.5}, new long[] {1, 1, 1, 1}, DataType.DOUBLE));
        assertThat(dx.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(dx.data().asDouble()).containsExactly(1.5, 0, 0, 0);
    }

    @Test
    void overlappingWindowsAccumulate() {
        // 1×3 input [0 7 0], 1×2 windows with stride 1: both windows pick the 7
        FcnWalk.Geometry g = new FcnWalk.Geometry(new int[] {1, 2}, new int[] {1, 1}, new int[] {0, 0}, false);
        INDArray x = Nd4j.create(new float[] {0, 7, 0}, new long[] {1, 1, 1, 3}, 'c');
        MaxPoolArgmax p = MaxPoolArgmax.forward(x, g);
        assertThat(p.output.data().asFloat()).containsExactly(7f, 7f);
        INDArray dx = p.backward(Nd4j.create(new float[] {1, 2}, new long[] {1, 1, 1, 2}, 'c'));
        assertThat(dx.data().asFloat()).containsExactly(0f, 3f, 0f);
    }
}
