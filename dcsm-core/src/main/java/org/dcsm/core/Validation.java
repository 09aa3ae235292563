package org.dcsm.core;

import java.util.Arrays;

import org.dcsm.core.impl.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checks of ND4J arrays shared by dcsm's classes; messages name the offending value. The array-free checks (and the
 * message forms) are dcsm-core's internal {@code org.dcsm.core.impl.Checks}.
 */
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
            Checks.finite(org.dcsm.core.impl.NdArrays.toFloats(array), what, array.shape());
            return;
        }
        Checks.finite(org.dcsm.core.impl.NdArrays.toDoubles(array), what, array.shape());
    }

    /** Throws unless {@code array} has exactly {@code expected} as its shape. */
    public static void requireShape(INDArray array, String what, long... expected) {
        if (!Arrays.equals(array.shape(), expected)) {
            throw new IllegalArgumentException(what + " must have shape " + Arrays.toString(expected) + ", found "
                    + Arrays.toString(array.shape()));
        }
    }
}
