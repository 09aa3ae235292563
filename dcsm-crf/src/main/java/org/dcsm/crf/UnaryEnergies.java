package org.dcsm.crf;

import java.util.Arrays;
import java.util.Objects;

import org.dcsm.core.ClassIds;
import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.Unary;
import org.dcsm.core.impl.Checks;
import org.dcsm.core.impl.ClassMapKernels;
import org.dcsm.core.impl.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The unary energies {@code U_i(l) = theta_i(l)} of the dense CRF (DCSM paper Eq. 6: {@code -log M}) for M
 * labels over an H×W image, with the class id each label stands for. Immutable: inputs are copied and
 * {@link #energies()} returns a copy.
 *
 * <p><b>Class ids travel with the energies.</b> The CRF's labels are this object's {@link #classIds()}, so a
 * {@link LabelMap} it returns holds class ids (e.g. 0, 12, 15), never channel indices. The {@code INDArray}
 * factories therefore require the ids ({@link #of(INDArray, int[])}), take them from the class maps
 * ({@link #fromClassMaps}), or say in their name that the channel index is the id
 * ({@link #ofChannelIndices}). Only the raw {@code float[]} factories, for callers without class maps, accept
 * null ids, and document that null means "class id = label index 0..M-1".
 *
 * <p>Factories: fused DCSM class maps with the background of Eq. 7 ({@link #fromClassMaps}: the paper's path),
 * raw energies ({@link #of(INDArray, int[])}, or a {@code float[]} in either {@link UnaryLayout} by
 * {@link #of(float[], UnaryLayout, int, int, int, int[])}), probabilities ({@link #fromProbabilities}),
 * and a hard label map with a confidence ({@link #fromLabels}, as pydensecrf's {@code unary_from_labels}).
 * The {@code −log(max(p, eps))} of every probability factory is dcsm-core's ({@link Unary}, Eq. 6's unary), the
 * background dcsm-core's {@link org.dcsm.core.BackgroundEstimator} (Eq. 7): one implementation of each.
 *
 * <p>The {@code float[]} factories load no ND4J class, nor does any method that neither takes nor returns an
 * {@code INDArray} or {@code ClassMaps}: a dense CRF runs on raw arrays without ND4J on the class path
 * ({@link CrfImage}, {@link DenseCrf#prepare}, {@link CrfSession#marginals(float[], UnaryLayout)}).
 */
public final class UnaryEnergies {

    private final int labels;
    private final int height;
    private final int width;
    private final float[] pixelMajor;
    private final int[] classIds;

    private UnaryEnergies(int labels, int height, int width, float[] pixelMajor, int[] classIds) {
        this.labels = labels;
        this.height = height;
        this.width = width;
        this.pixelMajor = pixelMajor;
        this.classIds = classIds;
    }

    /**
     * Energies {@code M×H×W} (copied) whose label {@code c} stands for class id {@code c}, {@code 0..M-1}: for
     * arrays whose channel index is the class id. For any other channel order, e.g. the maps of
     * {@code ClassMaps.withBackground()} with ids {@code [0, 12, 15]}, use {@link #of(INDArray, int[])} or
     * {@link #fromClassMaps}: here their labels would come back as 0, 1, 2.
     *
     * @throws IllegalArgumentException when the rank is not 3, M, H or W is 0, or a value is NaN or ±Inf
     */
    public static UnaryEnergies ofChannelIndices(INDArray energies) {
        return fromTensor(energies, null);
    }

    /**
     * Energies {@code M×H×W} (copied) with the class id of each label.
     *
     * @param classIds one distinct non-negative id per label, channel order (e.g. {@code ClassMaps.classIds()})
     * @throws NullPointerException     when {@code classIds} is null (see {@link #ofChannelIndices})
     * @throws IllegalArgumentException when the rank is not 3, M, H or W is 0, a value is NaN or ±Inf,
     *                                  or the class ids do not fit
     */
    public static UnaryEnergies of(INDArray energies, int[] classIds) {
        return fromTensor(energies, Objects.requireNonNull(classIds, "classIds"));
    }

    private static UnaryEnergies fromTensor(INDArray energies, int[] classIds) {
        Objects.requireNonNull(energies, "unary energies");
        long[] s = energies.shape();
        if (energies.rank() != 3) {
            throw new IllegalArgumentException("Unary energies must be M×H×W (rank 3), found shape "
                    + Arrays.toString(s));
        }
        if (s[0] == 0) {
            throw new IllegalArgumentException("Unary energies need at least one label (M >= 1), found M = 0");
        }
        if (s[1] == 0 || s[2] == 0) {
            throw new IllegalArgumentException("Unary energies are empty: shape " + Arrays.toString(s));
        }
        int m = (int) s[0];
        int h = (int) s[1];
        int w = (int) s[2];
        float[] planar = NdArrays.toFloats(energies);
        Checks.finite(planar, "the unary energies (label, y, x)", s);
        int n = h * w;
        float[] pm = new float[planar.length];
        for (int l = 0; l < m; l++) {
            for (int i = 0; i < n; i++) {
                pm[i * m + l] = planar[l * n + i];
            }
        }
        return new UnaryEnergies(m, h, w, pm, checkIds(classIds, m));
    }

    /**
     * Energies from a {@code float[]} (copied), {@code labels} values per pixel in the given layout.
     *
     * @param energies  {@code labels * width * height} finite values; not modified
     * @param classIds  one distinct non-negative id per label, or null when the label index is the class id
     *                  ({@code 0..M-1}: the labels of a returned {@link LabelMap} are then label indices)
     * @throws IllegalArgumentException naming the field: a non-positive count or size, a length that does not match,
     *                                  a NaN or ±Inf energy (with its label and pixel), or class ids that do not fit
     */
    public static UnaryEnergies of(float[] energies, UnaryLayout layout, int labels, int width, int height,
                                   int[] classIds) {
        return fromArray("energies", energies, layout, labels, width, height, classIds, Double.NaN);
    }

    /**
     * {@code U = -log(max(p, minProbability))} from probabilities in a {@code float[]} (not modified),
     * {@code labels} values per pixel in the given layout.
     *
     * @param classIds one distinct non-negative id per label, or null when the label index is the class id
     *                 ({@code 0..M-1})
     * @throws IllegalArgumentException naming the field: a non-positive count or size, a length that does not match,
     *                                  a probability that is NaN or outside [0, 1] (with its label and pixel),
     *                                  {@code minProbability} outside (0, 1], or class ids that do not fit
     */
    public static UnaryEnergies fromProbabilities(float[] probabilities, UnaryLayout layout, int labels, int width,
                                                  int height, double minProbability, int[] classIds) {
        requireMinProbability(minProbability);
        return fromArray("probabilities", probabilities, layout, labels, width, height, classIds, minProbability);
    }

    /**
     * Energies, or probabilities turned into energies when {@code minProbability} is not NaN (by dcsm-core's
     * {@link ClassMapKernels#energies}, the kernel of {@link Unary}; that class itself needs ND4J).
     */
    private static UnaryEnergies fromArray(String field, float[] values, UnaryLayout layout, int m, int w, int h,
                                           int[] classIds, double minProbability) {
        Objects.requireNonNull(values, field);
        Objects.requireNonNull(layout, "layout");
        if (m < 1) {
            throw new IllegalArgumentException("labels must be >= 1, found " + m);
        }
        CrfImage.requireSize(w, h);
        int n = w * h;
        if (values.length != (long) m * n) {
            throw new IllegalArgumentException(field + ": " + m + " labels over " + w + "x" + h + " pixels need "
                    + (long) m * n + " values, found " + values.length);
        }
        int[] ids = checkIds(classIds, m);
        boolean probabilities = !Double.isNaN(minProbability);
        if (!probabilities) {
            Checks.finite(values, field + (layout == UnaryLayout.PIXEL_MAJOR ? " (y, x, label)" : " (label, y, x)"),
                    layout == UnaryLayout.PIXEL_MAJOR ? new long[] {h, w, m} : new long[] {m, h, w});
        }
        float[] pm = new float[values.length];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < m; l++) {
                float v = values[layout == UnaryLayout.PIXEL_MAJOR ? i * m + l : l * n + i];
                if (probabilities && !(v >= 0f && v <= 1f)) {
                    throw new IllegalArgumentException("probabilities must lie in [0, 1], found " + v
                            + " for label " + l + " at pixel (" + i % w + ", " + i / w + ")");
                }
                pm[i * m + l] = v;
            }
        }
        if (probabilities) {
            ClassMapKernels.energies(pm, minProbability, pm, 0, pm.length); // Eq. 6's -log(max(p, eps)), in place
        }
        return new UnaryEnergies(m, h, w, pm, ids);
    }

    /**
     * {@code U = -log(max(p, minProbability))} (dcsm-core's {@link Unary}) from probabilities {@code M×H×W}, with
     * the class id of each label.
     *
     * @param classIds one distinct non-negative id per label, channel order
     * @throws NullPointerException     when {@code classIds} is null
     * @throws IllegalArgumentException when a probability is NaN, ±Inf, negative or above 1, or
     *                                  {@code minProbability} is not in (0, 1]
     */
    public static UnaryEnergies fromProbabilities(INDArray probabilities, double minProbability, int[] classIds) {
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(classIds, "classIds");
        requireMinProbability(minProbability);
        if (probabilities.rank() != 3) {
            throw new IllegalArgumentException("Probabilities must be M×H×W (rank 3), found shape "
                    + Arrays.toString(probabilities.shape()));
        }
        float[] p = NdArrays.toFloats(probabilities);
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0f && p[i] <= 1f)) {
                throw new IllegalArgumentException("Probabilities must lie in [0, 1], found " + p[i] + " at flat index "
                        + i);
            }
        }
        return of(Unary.withEps(minProbability).energies(Nd4j.create(p, probabilities.shape(), 'c')), classIds);
    }

    /**
     * Energies from a hard segmentation, as pydensecrf's {@code unary_from_labels}: a pixel whose id is
     * {@code classIds[l]} gets probability {@code confidence} for label {@code l} and
     * {@code (1 - confidence) / (M - 1)} for the others; a pixel whose id is not among {@code classIds}
     * (for example {@link LabelMap#VOID}) is unsure and gets {@code 1 / M} for every label. {@code U = -log p}.
     *
     * @param classIds   the class id of each label, distinct, at least two
     * @param confidence in (0, 1)
     */
    public static UnaryEnergies fromLabels(LabelMap labels, int[] classIds, double confidence) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(classIds, "classIds");
        if (classIds.length < 2) {
            throw new IllegalArgumentException("Unary from labels needs at least two class ids, found "
                    + Arrays.toString(classIds));
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), found " + confidence);
        }
        int[] ids = checkIds(classIds, classIds.length);
        int m = ids.length;
        int w = labels.width();
        int h = labels.height();
        int[] px = labels.toArray();
        float sure = (float) -Math.log(confidence);
        float other = (float) -Math.log((1 - confidence) / (m - 1));
        float unsure = (float) Math.log(m);
        float[] pm = new float[px.length * m];
        for (int i = 0; i < px.length; i++) {
            int label = -1;
            for (int l = 0; l < m; l++) {
                if (ids[l] == px[i]) {
                    label = l;
                }
            }
            for (int l = 0; l < m; l++) {
                pm[i * m + l] = label < 0 ? unsure : (l == label ? sure : other);
            }
        }
        return new UnaryEnergies(m, h, w, pm, ids);
    }

    /**
     * Energies from fused DCSM class maps (one entry, values in [0, 1]) as in the paper: when the maps
     * have no background channel (class id 0), one is added first with {@code M^BG = 1 - max_c M^c}
     * (Eq. 7, {@link ClassMaps#withBackground()}), as label 0; then {@code U = -log(max(M, minProbability))}
     * (§3.4, {@link Unary#energies(ClassMaps)}). Labels carry the maps' class ids (background 0 first, then the
     * maps' ids in channel order), so the CRF's {@link LabelMap} holds class ids.
     *
     * <p>Eq. 7 and the {@code -log} are dcsm-core's, called here, so the CRF's unary is exactly the one the rest of
     * the pipeline computes. Returns new arrays (copies).
     *
     * @param minProbability the floor under the maps, in (0, 1]; the paper's pipeline uses {@link Unary#DEFAULT_EPS}
     * @throws IllegalArgumentException when a map value lies outside [0, 1]
     * @throws IllegalStateException    when the maps have more than one entry (not fused)
     */
    public static UnaryEnergies fromClassMaps(ClassMaps fused, double minProbability) {
        Objects.requireNonNull(fused, "fused class maps");
        requireMinProbability(minProbability);
        ClassMaps maps = fused;
        if (fused.channelOf(ClassList.BACKGROUND) < 0) {
            maps = fused.withBackground(); // Eq. 7; refuses maps outside [0, 1], naming the class id
        } else {
            requireProbabilities(fused);
        }
        return of(Unary.withEps(minProbability).energies(maps), maps.classIds());
    }

    /** Maps that already hold the background must be probabilities: values in [0, 1]. */
    private static void requireProbabilities(ClassMaps maps) {
        INDArray single = maps.single();
        int n = (int) (single.size(1) * single.size(2));
        int w = (int) single.size(2);
        float[] v = NdArrays.toFloats(single);
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0f && v[i] <= 1f)) {
                throw new IllegalArgumentException("Class map values must lie in [0, 1] to be used as probabilities, "
                        + "found " + v[i] + " for class id " + maps.classIds()[i / n] + " at pixel ("
                        + (i % n % w) + ", " + (i % n / w) + ")");
            }
        }
    }

    private static void requireMinProbability(double minProbability) {
        if (!(minProbability > 0 && minProbability <= 1)) {
            throw new IllegalArgumentException("minProbability must be in (0, 1], found " + minProbability);
        }
    }

    private static int[] checkIds(int[] classIds, int m) {
        return (classIds == null ? ClassIds.channelIndices(m) : ClassIds.of(classIds).requireSize(m, "label"))
                .toArray();
    }

    /** Number of labels M. */
    public int labels() {
        return labels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** A copy of the class id of each label. */
    public int[] classIds() {
        return classIds.clone();
    }

    /**
     * The energies written into {@code out} in the given layout ({@code labels() * width() * height()} floats);
     * a new array when {@code out} is null.
     *
     * @return {@code out}, or the new array
     * @throws IllegalArgumentException when {@code out} has another length
     */
    public float[] energies(float[] out, UnaryLayout layout) {
        Objects.requireNonNull(layout, "layout");
        int n = height * width;
        float[] dst = out == null ? new float[pixelMajor.length] : out;
        if (dst.length != pixelMajor.length) {
            throw new IllegalArgumentException("out: " + labels + " labels over " + width + "x" + height
                    + " pixels need " + pixelMajor.length + " floats, found " + dst.length);
        }
        if (layout == UnaryLayout.PIXEL_MAJOR) {
            System.arraycopy(pixelMajor, 0, dst, 0, dst.length);
        } else {
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < labels; l++) {
                    dst[l * n + i] = pixelMajor[i * labels + l];
                }
            }
        }
        return dst;
    }

    /** The energies as a new {@code M×H×W} float array. */
    public INDArray energies() {
        int n = height * width;
        float[] planar = new float[pixelMajor.length];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < labels; l++) {
                planar[l * n + i] = pixelMajor[i * labels + l];
            }
        }
        return Nd4j.create(planar, new long[] {labels, height, width}, 'c');
    }

    /** The label map of the lowest energy per pixel (ties: the first label), with class ids. */
    public LabelMap argmin() {
        int n = height * width;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int l = 1; l < labels; l++) {
                if (pixelMajor[i * labels + l] < pixelMajor[i * labels + best]) {
                    best = l;
                }
            }
            out[i] = classIds[best];
        }
        return LabelMap.of(width, height, out);
    }

    /** The pixel-major energies, shared: callers in this package must not modify them. */
    float[] pixelMajorView() {
        return pixelMajor;
    }

    int[] classIdsView() {
        return classIds;
    }

    @Override
    public String toString() {
        return "UnaryEnergies[" + labels + "x" + height + "x" + width + ", ids " + Arrays.toString(classIds) + "]";
    }
}
