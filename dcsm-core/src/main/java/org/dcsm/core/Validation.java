package org.dcsm.core;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Input checks shared by dcsm's classes; messages name the offending value. */
public final class Validation {

    private Validation() {
    }

    /**
     * Throws when {@code array} holds NaN or ±Inf, naming the first bad element's index.
     *
     * @param what what the array is, for the message
     */
    public static void requireFinite(INDArray array, String what) {
        if (array.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT) {
            // flat float scan: no double copy of a float array (the common case: class maps)
            float[] floats = org.dcsm.core.impl.NdArrays.toFloats(array);
            int bad = org.dcsm.core.impl.ClassMapKernels.firstNonFinite(floats, 0, floats.length);
            if (bad >= 0) {
                long[] idx = org.nd4j.linalg.api.shape.Shape.ind2subC(array.shape(), bad);
                throw new IllegalArgumentException("Non-finite value " + floats[bad] + " in " + what + " at index "
                        + Arrays.toString(idx));
            }
            return;
        }
        double[] values = org.dcsm.core.impl.NdArrays.toDoubles(array);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                long[] idx = org.nd4j.linalg.api.shape.Shape.ind2subC(array.shape(), i);
                throw new IllegalArgumentException("Non-finite value " + values[i] + " in " + what + " at index "
                        + Arrays.toString(idx));
            }
        }
    }

    /** Throws unless {@code array} has exactly {@code expected} as its shape. */
    public static void requireShape(INDArray array, String what, long... expected) {
        if (!Arrays.equals(array.shape(), expected)) {
            throw new IllegalArgumentException(what + " must have shape " + Arrays.toString(expected) + ", found "
                    + Arrays.toString(array.shape()));
        }
    }
}
