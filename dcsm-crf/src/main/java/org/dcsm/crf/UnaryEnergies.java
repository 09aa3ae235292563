package org.dcsm.crf;

import java.util.Arrays;
import java.util.Objects;

import org.dcsm.core.BackgroundEstimator;
import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.Unary;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The unary energies {@code U_i(l) = theta_i(l)} of the dense CRF (DCSM paper Eq. 6: {@code -log M}) for M
 * labels over an H×W image, with the class id each label stands for. Immutable: inputs are copied and
 * {@link #energies()} returns a copy.
 *
 * <p>Factories: raw energies ({@link #of(INDArray)}, or a {@code float[]} in either {@link UnaryLayout} by
 * {@link #of(float[], UnaryLayout, int, int, int, int[])}), probabilities ({@link #fromProbabilities}),
 * a hard label map with a confidence ({@link #fromLabels}, as pydensecrf's {@code unary_from_labels}), and
 * fused DCSM class maps with the background of Eq. 7 ({@link #fromClassMaps}).
 *
 * <p>The {@code float[]} factories load no ND4J class, nor does any method that neither takes nor returns an
 * {@code INDArray} or {@code ClassMaps}: a dense CRF runs on raw arrays without ND4J on the class path
 * ({@link CrfImage}, {@link DenseCrf#prepare}, {@link CrfSession#marginals(float[], UnaryLayout)}).
 */
public final class UnaryEnergies {

    /** Default lower clamp for probabilities before {@code -log}: energies stay below {@code -log(1e-5) ≈ 11.5}. */
    public static final double DEFAULT_MIN_PROBABILITY = 1e-5;

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

    /** Energies {@code M×H×W} (copied) for class ids {@code 0..M-1}. */
    public static UnaryEnergies of(INDArray energies) {
        return of(energies, null);
    }

    /**
     * Energies {@code M×H×W} (copied) with the class id of each label.
     *
     * @param classIds one distinct non-negative id per label, or null for {@code 0..M-1}
     * @throws IllegalArgumentException when the rank is not 3, M, H or W is 0, a value is NaN or ±Inf,
     *                                  or the class ids do not fit
     */
    public static UnaryEnergies of(INDArray energies, int[] classIds) {
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
        float[] planar = energies.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int n = h * w;
        float[] pm = new float[planar.length];
        for (int l = 0; l < m; l++) {
            for (int i = 0; i < n; i++) {
                float v = planar[l * n + i];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("Non-finite unary energy " + v + " for label " + l + " at pixel ("
                            + (i % w) + ", " + (i / w) + ")");
                }
                pm[i * m + l] = v;
            }
        }
        return new UnaryEnergies(m, h, w, pm, checkIds(classIds, m));
    }

    /**
     * Energies from a {@code float[]} (copied), {@code labels} values per pixel in the given layout.
     *
     * @param energies  {@code labels * width * height} finite values; not modified
     * @param classIds  one distinct non-negative id per label, or null for {@code 0..M-1}
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
     * @param classIds one distinct non-negative id per label, or null for {@code 0..M-1}
     * @throws IllegalArgumentException naming the field: a non-positive count or size, a length that does not match,
     *                                  a probability that is NaN or outside [0, 1] (with its label and pixel),
     *                                  {@code minProbability} outside (0, 1], or class ids that do not fit
     */
    public static UnaryEnergies fromProbabilities(float[] probabilities, UnaryLayout layout, int labels, int width,
                                                  int height, double minProbability, int[] classIds) {
        requireMinProbability(minProbability);
        return fromArray("probabilities", probabilities, layout, labels, width, height, classIds, minProbability);
    }

    /** Energies, or probabilities turned into energies when {@code minProbability} is not NaN. */
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
        float[] pm = new float[values.length];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < m; l++) {
                float v = values[layout == UnaryLayout.PIXEL_MAJOR ? i * m + l : l * n + i];
                if (probabilities) {
                    if (!(v >= 0f && v <= 1f)) {
                        throw new IllegalArgumentException("probabilities must lie in [0, 1], found " + v
                                + " for label " + l + " at pixel (" + i % w + ", " + i / w + ")");
                    }
                    v = (float) -Math.log(Math.max(v, minProbability));
                } else if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("Non-finite unary energy " + v + " for label " + l
                            + " at pixel (" + i % w + ", " + i / w + ")");
                }
                pm[i * m + l] = v;
            }
        }
        return new UnaryEnergies(m, h, w, pm, ids);
    }

    /**
     * {@code U = -log(max(p, minProbability))} from probabilities {@code M×H×W}, class ids {@code 0..M-1}.
     *
     * @throws IllegalArgumentException when a probability is NaN, ±Inf, negative or above 1, or
     *                                  {@code minProbability} is not in (0, 1]
     */
    public static UnaryEnergies fromProbabilities(INDArray probabilities, double minProbability) {
        return fromProbabilities(probabilities, minProbability, null);
    }

    /** As {@link #fromProbabilities(INDArray, double)}, with the class id of each label (null for 0..M-1). */
    public static UnaryEnergies fromProbabilities(INDArray probabilities, double minProbability, int[] classIds) {
        Objects.requireNonNull(probabilities, "probabilities");
        requireMinProbability(minProbability);
        if (probabilities.rank() != 3) {
            throw new IllegalArgumentException("Probabilities must be M×H×W (rank 3), found shape "
                    + Arrays.toString(probabilities.shape()));
        }
        float[] p = probabilities.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0f && p[i] <= 1f)) {
                throw new IllegalArgumentException("Probabilities must lie in [0, 1], found " + p[i] + " at flat index "
                        + i);
            }
            p[i] = (float) -Math.log(Math.max(p[i], minProbability));
        }
        return of(Nd4j.create(p, probabilities.shape(), 'c'), classIds);
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
     * (Eq. 7), as label 0; then {@code U = -log(max(M, minProbability))} (§3.4). Labels carry the class
     * ids (background 0 first, then the maps' ids in channel order).
     *
     * <p>The background and the {@code -log} are dcsm-core's ({@link BackgroundEstimator#background},
     * {@link Unary#energies(float[], float[])} with {@code eps = minProbability}), so the CRF's unary is exactly
     * the one the rest of the pipeline computes. Returns new arrays (copies).
     *
     * @throws IllegalArgumentException when a map value lies outside [0, 1]
     * @throws IllegalStateException    when the maps have more than one entry (not fused)
     */
    public static UnaryEnergies fromClassMaps(ClassMaps fused, double minProbability) {
        Objects.requireNonNull(fused, "fused class maps");
        requireMinProbability(minProbability);
        INDArray maps = fused.single();
        int c = (int) maps.size(0);
        int h = (int) maps.size(1);
        int w = (int) maps.size(2);
        int n = h * w;
        float[] v = maps.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0f && v[i] <= 1f)) {
                throw new IllegalArgumentException("Class map values must lie in [0, 1] to be used as probabilities, "
                        + "found " + v[i] + " for class id " + fused.classIds()[i / n] + " at pixel ("
                        + (i % n % w) + ", " + (i % n / w) + ")");
            }
        }
        int[] ids = fused.classIds();
        boolean hasBackground = fused.channelOf(ClassList.BACKGROUND) >= 0;
        int m = hasBackground ? c : c + 1;
        int[] labelIds = new int[m];
        float[] prob;
        if (hasBackground) {
            System.arraycopy(ids, 0, labelIds, 0, c);
            prob = v;
        } else {
            // Eq. 7 from dcsm-core: background plane (1 - max over the maps) first, then the maps
            labelIds[0] = ClassList.BACKGROUND;
            System.arraycopy(ids, 0, labelIds, 1, c);
            prob = BackgroundEstimator.background(v, c, n, null);
        }
        // -log(max(M, eps)) from dcsm-core, planar; then transposed to the pixel-major layout of the CRF
        float[] planar = Unary.withEps(minProbability).energies(prob, null);
        float[] pm = new float[m * n];
        for (int l = 0; l < m; l++) {
            for (int i = 0; i < n; i++) {
                pm[i * m + l] = planar[l * n + i];
            }
        }
        return new UnaryEnergies(m, h, w, pm, checkIds(labelIds, m));
    }

    private static void requireMinProbability(double minProbability) {
        if (!(minProbability > 0 && minProbability <= 1)) {
            throw new IllegalArgumentException("minProbability must be in (0, 1], found " + minProbability);
        }
    }

    private static int[] checkIds(int[] classIds, int m) {
        if (classIds == null) {
            int[] ids = new int[m];
            for (int i = 0; i < m; i++) {
                ids[i] = i;
            }
            return ids;
        }
        if (classIds.length != m) {
            throw new IllegalArgumentException("Expected one class id per label (" + m + "), found "
                    + classIds.length + ": " + Arrays.toString(classIds));
        }
        int[] sorted = classIds.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < m; i++) {
            if (sorted[i] < 0) {
                throw new IllegalArgumentException("Class ids must be >= 0, found " + sorted[i]);
            }
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("Class id " + sorted[i] + " appears twice in "
                        + Arrays.toString(classIds));
            }
        }
        return classIds.clone();
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
