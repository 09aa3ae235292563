package org.dcsm.core;

import java.util.Arrays;
import java.util.Objects;

import org.dcsm.core.impl.ClassMapKernels;
import org.dcsm.core.impl.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The background map of paper §3.4, Eq. 7: the network has no background output, so the background
 * saliency is estimated from the candidate maps as
 * <pre>    M^BG(x,y) = 1 − max_{c ∈ candidates} M^c(x,y)</pre>
 * and prepended as class id {@link ClassList#BACKGROUND} (channel 0). The candidate maps must lie in
 * [0, 1], as the fused maps of {@link MultiScaleAggregator} (Eq. 5) do; then the background does too.
 *
 * <p>Stateless; every method returns new arrays (copies). {@link ClassMaps#withBackground()} is the
 * usual entry point.
 */
public final class BackgroundEstimator {

    private BackgroundEstimator() {
    }

    /**
     * Prepends the Eq. 7 background to every entry of {@code maps}.
     *
     * @return new class maps with class ids {@code [0, maps.classIds()...]} and the same entry tags
     * @throws IllegalArgumentException when class id 0 is already present or a value is outside [0, 1]
     */
    public static ClassMaps withBackground(ClassMaps maps) {
        Objects.requireNonNull(maps, "maps");
        int[] ids = maps.classIds();
        for (int id : ids) {
            if (id == ClassList.BACKGROUND) {
                throw new IllegalArgumentException("Class maps " + Arrays.toString(ids)
                        + " already contain the background class id 0");
            }
        }
        int[] withBg = new int[ids.length + 1];
        withBg[0] = ClassList.BACKGROUND;
        System.arraycopy(ids, 0, withBg, 1, ids.length);
        ClassMaps.Builder out = ClassMaps.builder(withBg);
        for (ClassMaps.Entry e : maps.entries()) {
            float[] src = e.values();
            requireUnitRange(src, ids, e.height(), e.width(), " in layer '" + e.layer() + "' at scale " + e.scale());
            out.addComputed(e.layer(), e.scale(), background(src, ids.length, e.height() * e.width(), null),
                    e.height(), e.width());
        }
        return out.build();
    }

    /**
     * Eq. 7 on one {@code C×H×W} array of candidate maps.
     *
     * @param chw candidate maps in [0, 1], rank 3, non-empty; not modified
     * @return a new {@code (C+1)×H×W} float array: channel 0 the background, then {@code chw}'s channels
     * @throws IllegalArgumentException on a wrong rank, an empty array, NaN or a value outside [0, 1]
     */
    public static INDArray withBackground(INDArray chw) {
        Objects.requireNonNull(chw, "chw");
        if (chw.rank() != 3 || chw.length() == 0) {
            throw new IllegalArgumentException("Eq. 7 needs non-empty C×H×W candidate maps (rank 3), found shape "
                    + Arrays.toString(chw.shape()));
        }
        int c = (int) chw.size(0);
        int h = (int) chw.size(1);
        int w = (int) chw.size(2);
        float[] src = NdArrays.toFloats(chw);
        requireUnitRange(src, null, h, w, "");
        return Nd4j.create(background(src, c, h * w, null), new long[] {c + 1, h, w}, 'c');
    }

    /**
     * Flat form: {@code dst} = background plane then a copy of {@code src}'s {@code channels} planes.
     *
     * @param dst {@code (channels+1)·plane} floats or {@code null} to allocate; modified
     * @return {@code dst} or the new array
     */
    public static float[] background(float[] src, int channels, int plane, float[] dst) {
        Objects.requireNonNull(src, "src");
        if (channels <= 0 || plane <= 0 || src.length != (long) channels * plane) {
            throw new IllegalArgumentException("src must hold channels·plane = " + channels + "·" + plane
                    + " values, found " + src.length);
        }
        int length = Math.addExact(src.length, plane);
        if (dst == null) {
            dst = new float[length];
        } else if (dst.length != length) {
            throw new IllegalArgumentException("dst must hold " + length + " values, found " + dst.length);
        }
        ClassMapKernels.withBackground(src, channels, plane, dst);
        return dst;
    }

    private static void requireUnitRange(float[] src, int[] ids, int h, int w, String where) {
        int plane = h * w;
        for (int i = 0; i < src.length; i++) {
            float v = src[i];
            if (!(v >= 0f && v <= 1f)) {
                int c = i / plane;
                String what = ids == null ? "channel " + c : "class id " + ids[c];
                throw new IllegalArgumentException("Eq. 7 needs candidate maps in [0, 1] (aggregate them with "
                        + "MultiScaleAggregator first), found " + v + " for " + what + " at (x=" + (i % plane) % w
                        + ", y=" + (i % plane) / w + ")" + where);
            }
        }
    }
}
