package org.dcsm.core;

import java.util.Arrays;
import java.util.Objects;

import org.dcsm.core.impl.Checks;
import org.dcsm.core.impl.ClassMapKernels;
import org.dcsm.core.impl.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CRF unary of paper §3.4 (the first term of Eq. 6), {@code θ(c) = −log M^c(x,y)}, computed as
 * {@code −log(max(M, eps))} so that a map value of 0 (e.g. the Eq. 7 background where a candidate
 * reaches 1) gives the finite energy {@code −log(eps)} instead of +∞; and the label maps obtained
 * without a CRF, by a per-pixel argmax.
 *
 * <p><b>Argmax.</b> {@link #argmax(ClassMaps)} picks, per pixel, the channel with the largest map
 * value; {@link #argminEnergy(INDArray, int[])} the channel with the smallest energy (the argmax of
 * the negative energies). Ties go to the lower channel index, so with background first the
 * background wins ties. The channel index is translated to its class id ({@code classIds[i]}), so
 * a {@link LabelMap}'s values are class ids, never channel indices. Where several maps are below
 * {@code eps} their energies are equal and the argmin takes the lowest of those channels, while the
 * argmax of the maps still tells them apart.
 *
 * <p>Immutable and thread-safe. Every method returns new arrays (copies).
 */
public final class Unary {

    /** Default floor under the maps before the log: {@code −log(1e-5) ≈ 11.51}. */
    public static final double DEFAULT_EPS = 1e-5;

    private static final Unary DEFAULTS = new Unary(DEFAULT_EPS);

    private final double eps;

    private Unary(double eps) {
        this.eps = eps;
    }

    /** Energies with {@code eps = 1e-5}. */
    public static Unary defaults() {
        return DEFAULTS;
    }

    /**
     * Energies with the floor {@code eps}.
     *
     * @param eps in (0, 1]
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static Unary withEps(double eps) {
        if (!(eps > 0 && eps <= 1)) {
            throw new IllegalArgumentException("eps must be in (0, 1], found " + eps);
        }
        return new Unary(eps);
    }

    /** The floor under the maps before the log. */
    public double eps() {
        return eps;
    }

    /**
     * The energies of the single (fused) entry of {@code maps}, channel {@code i} for class id
     * {@code maps.classIds()[i]}.
     *
     * @return a new {@code C×H×W} float array in 'c' order
     * @throws IllegalStateException when {@code maps} has more than one entry (aggregate first)
     */
    public INDArray energies(ClassMaps maps) {
        ClassMaps.Entry e = Objects.requireNonNull(maps, "maps").singleEntry();
        float[] src = e.values();
        return Nd4j.create(energies(src, null), new long[] {maps.classCount(), e.height(), e.width()}, 'c');
    }

    /**
     * The energies of a {@code C×H×W} map array.
     *
     * @param chw finite, rank 3, non-empty; not modified
     * @return a new {@code C×H×W} float array in 'c' order
     * @throws IllegalArgumentException on a wrong rank, an empty array or a non-finite value
     */
    public INDArray energies(INDArray chw) {
        float[] src = flatChw(chw, "maps");
        return Nd4j.create(energies(src, null), chw.shape(), 'c');
    }

    /**
     * Flat form: {@code dst[i] = −log(max(src[i], eps))}.
     *
     * @param dst same length as {@code src} or {@code null} to allocate; modified
     * @return {@code dst} or the new array
     */
    public float[] energies(float[] src, float[] dst) {
        Objects.requireNonNull(src, "src");
        if (dst == null) {
            dst = new float[src.length];
        } else if (dst.length != src.length) {
            throw new IllegalArgumentException("dst must hold " + src.length + " values, found " + dst.length);
        }
        ClassMapKernels.energies(src, eps, dst, 0, src.length);
        return dst;
    }

    /**
     * Per-pixel argmax of the single (fused) entry of {@code maps}, as class ids.
     *
     * @throws IllegalStateException when {@code maps} has more than one entry
     */
    public static LabelMap argmax(ClassMaps maps) {
        ClassMaps.Entry e = Objects.requireNonNull(maps, "maps").singleEntry();
        return toLabels(e.values(), maps.classIds(), e.height(), e.width(), false);
    }

    /**
     * Per-pixel argmax of a {@code C×H×W} map array, channel {@code i} meaning class id {@code classIds[i]}.
     *
     * @throws IllegalArgumentException on a shape that does not match {@code classIds}, or NaN
     */
    public static LabelMap argmax(INDArray chw, int[] classIds) {
        return toLabels(flatChw(chw, "maps"), checkedIds(classIds, chw), (int) chw.size(1), (int) chw.size(2),
                false);
    }

    /**
     * Per-pixel argmin of a {@code C×H×W} energy array (the argmax of the negative energies), channel
     * {@code i} meaning class id {@code classIds[i]}.
     *
     * @throws IllegalArgumentException on a shape that does not match {@code classIds}, or NaN
     */
    public static LabelMap argminEnergy(INDArray energies, int[] classIds) {
        return toLabels(flatChw(energies, "energies"), checkedIds(classIds, energies), (int) energies.size(1),
                (int) energies.size(2), true);
    }

    /**
     * Translates per-pixel channel indices (e.g. a CRF's labels) to a label map of class ids.
     *
     * @param channelIndices row-major, {@code height·width} values in {@code [0, classIds.length)}
     * @throws IllegalArgumentException when the length or an index is wrong
     */
    public static LabelMap labelsFromChannels(int[] channelIndices, int width, int height, int[] classIds) {
        Objects.requireNonNull(channelIndices, "channelIndices");
        Objects.requireNonNull(classIds, "classIds");
        if ((long) width * height != channelIndices.length) {
            throw new IllegalArgumentException("A " + width + "x" + height + " label map needs " + (long) width * height
                    + " channel indices, found " + channelIndices.length);
        }
        int[] ids = new int[channelIndices.length];
        for (int i = 0; i < ids.length; i++) {
            int k = channelIndices[i];
            if (k < 0 || k >= classIds.length) {
                throw new IllegalArgumentException("Channel index " + k + " at pixel (" + i % width + ", " + i / width
                        + ") is outside 0.." + (classIds.length - 1) + " for class ids " + Arrays.toString(classIds));
            }
            ids[i] = classIds[k];
        }
        return LabelMap.of(width, height, ids);
    }

    private static LabelMap toLabels(float[] src, int[] classIds, int h, int w, boolean negate) {
        int plane = h * w;
        int[] index = new int[plane];
        ClassMapKernels.argmax(src, classIds.length, plane, negate, new float[plane], index);
        for (int p = 0; p < plane; p++) {
            index[p] = classIds[index[p]];
        }
        return LabelMap.of(w, h, index);
    }

    private static int[] checkedIds(int[] classIds, INDArray chw) {
        return ClassIds.of(classIds).requireSize(chw.size(0), "channel of the array of shape "
                + Arrays.toString(chw.shape())).toArray();
    }

    private static float[] flatChw(INDArray chw, String what) {
        Objects.requireNonNull(chw, what);
        if (chw.rank() != 3 || chw.length() == 0) {
            throw new IllegalArgumentException("The " + what + " must be non-empty C×H×W (rank 3), found shape "
                    + Arrays.toString(chw.shape()));
        }
        float[] src = NdArrays.toFloats(chw);
        Checks.finite(src, "the " + what, chw.shape());
        return src;
    }

    @Override
    public String toString() {
        return "Unary[eps=" + eps + "]";
    }
}
