package org.dcsm.core.impl;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * ND4J arrays to flat Java arrays without leaving temporaries behind. {@code a.castTo(FLOAT).dup('c').data().asFloat()}
 * makes up to two off-heap copies that nothing closes: their native memory then waits for the garbage collector,
 * which a barely growing heap rarely runs (docs/PERFORMANCE.md, "Memory scope"). These read a row-major float or
 * double array straight from the buffer when it already is one, and otherwise close the copies they made.
 */
public final class NdArrays {

    private NdArrays() {
    }

    /**
     * The values of {@code a} in row-major ('c') order as a new {@code float[]} (cast when {@code a} is not float).
     *
     * @param a any array; not modified, not closed
     */
    public static float[] toFloats(INDArray a) {
        INDArray c = rowMajor(a, DataType.FLOAT);
        float[] out = c.data().asFloat();
        closeIfMade(c, a);
        return out;
    }

    /**
     * The values of {@code a} in row-major ('c') order as a new {@code double[]} (cast when {@code a} is not double).
     *
     * @param a any array; not modified, not closed
     */
    public static double[] toDoubles(INDArray a) {
        INDArray c = rowMajor(a, DataType.DOUBLE);
        double[] out = c.data().asDouble();
        closeIfMade(c, a);
        return out;
    }

    /** {@code a} itself when its buffer already holds exactly its values, row-major, as {@code type}; else a copy. */
    private static INDArray rowMajor(INDArray a, DataType type) {
        INDArray cast = a.castTo(type);
        if (isPlainRowMajor(cast)) {
            return cast;
        }
        INDArray copy = cast.dup('c');
        closeIfMade(cast, a);
        return copy;
    }

    /** Whether {@code a}'s buffer holds exactly its values in row-major order (so the buffer can be read as is). */
    private static boolean isPlainRowMajor(INDArray a) {
        return !a.isEmpty() && a.ordering() == 'c' && !a.isView() && a.data().offset() == 0
                && a.data().length() == a.length() && Shape.hasDefaultStridesForShape(a);
    }

    private static void closeIfMade(INDArray made, INDArray original) {
        if (made != original) {
            made.close();
        }
    }

    /**
     * Closes each distinct, non-null array that is still open and owns its memory (views and repeated arguments
     * are skipped).
     */
    public static void closeAll(INDArray... arrays) {
        for (int i = 0; i < arrays.length; i++) {
            INDArray a = arrays[i];
            boolean repeated = false;
            for (int j = 0; j < i && !repeated; j++) {
                repeated = arrays[j] == a;
            }
            if (a != null && !repeated && !a.wasClosed() && a.closeable()) {
                a.close();
            }
        }
    }
}
