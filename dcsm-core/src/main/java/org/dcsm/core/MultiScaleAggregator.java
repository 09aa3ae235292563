package org.dcsm.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.dcsm.core.impl.Checks;
import org.dcsm.core.impl.ClassMapKernels;
import org.dcsm.core.impl.NdArrays;
import org.dcsm.core.impl.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The multi-layer, multi-scale fusion of paper §3.3, Eq. 5:
 * <pre>    M^c(x,y) = 1/(|S||L|) · Σ_{j∈S} Σ_{i∈L} tanh(alpha · M~c_{j,i}(x,y) / max_{x,y} M~c_{j,i})</pre>
 * For every entry (a layer {@code i} at a scale {@code j}) and every class {@code c}: the map is
 * resized bilinearly to the output size ({@link BilinearResize}, half-pixel centres), divided by its
 * maximum over x,y (a map whose maximum is 0 stays 0), passed through {@code tanh(alpha·)}
 * (alpha = 3 by default, the paper's choice, Table 1) and averaged over all entries. The result lies
 * in [0, tanh(alpha)].
 *
 * <p><b>Order and normalisation.</b> The paper resizes every map "to the same size as an input image
 * before calculation of Eq. 5", so the resize comes first and the maximum is taken on the resized map.
 * Eq. 5 as printed has no division by the maximum; the paper applies it to every displayed map (§3.3)
 * and the authors' code applies it before the tanh, so {@link Normalization#MAX} is the default and
 * {@link Normalization#NONE} gives the printed formula.
 *
 * <p>The maps must be non-negative (Eq. 3 takes absolute values, Eq. 4 positive parts); a negative
 * value is reported as an error. Which scales exist (the paper's 400/500/600) is decided by the
 * extraction; an {@link Aggregation} only records which layers and scales it was given.
 *
 * <p>The output size (normally the input image's) belongs to each call, not to the configuration: one
 * aggregator ({@link #paper()}, or {@link #builder()}) serves images of every size.
 *
 * <p>Streaming: {@link #start(int[], int, int)} returns an {@link Aggregation} that accepts entries one at a time
 * and keeps only a running sum of the output size, so the maps of every layer and scale never have to
 * be held at once. {@link #aggregate(ClassMaps, int, int)} is the one-shot form.
 *
 * <p>Immutable and thread-safe (each {@link Aggregation} is not). Results are new arrays (copies).
 * Each entry's channels are split over {@link Builder#threads(int)} threads; the result does not
 * depend on the thread count.
 */
public final class MultiScaleAggregator {

    /** Default tanh gain, the paper's alpha = 3. */
    public static final double DEFAULT_ALPHA = 3.0;

    /** Whether each resized map is divided by its maximum before the tanh. */
    public enum Normalization {
        /** {@code tanh(alpha · M / max M)} (default; the paper's figures and the authors' code). */
        MAX,
        /** {@code tanh(alpha · M)}, Eq. 5 exactly as printed. */
        NONE
    }

    /**
     * The old spelling of {@link Normalization}, kept for one release.
     *
     * @deprecated use {@link Normalization} (the one spelling of dcsm's public types, as dcsm-crf's
     *             {@code KernelNormalization})
     */
    @Deprecated(forRemoval = true)
    public enum Normalisation {
        /** {@link Normalization#MAX}. */
        MAX,
        /** {@link Normalization#NONE}. */
        NONE;

        /** The same value under the current spelling. */
        public Normalization toNormalization() {
            return this == MAX ? Normalization.MAX : Normalization.NONE;
        }

        static Normalisation of(Normalization n) {
            return n == Normalization.MAX ? MAX : NONE;
        }
    }

    /** Sizes above this many pixels are refused (the running sum holds {@code C} doubles per pixel). */
    private static final long MAX_PIXELS = Integer.MAX_VALUE / 64;

    private final double alpha;
    private final Normalization normalization;
    private final int threads;
    /** The deprecated configured output size, or -1. */
    private final int outHeight;
    private final int outWidth;

    private MultiScaleAggregator(Builder b) {
        this.alpha = b.alpha;
        this.outHeight = b.outHeight;
        this.outWidth = b.outWidth;
        this.normalization = b.normalization;
        this.threads = b.threads;
    }

    /** Eq. 5 with the paper's settings: alpha = 3, {@link Normalization#MAX}, 1 thread. */
    public static MultiScaleAggregator paper() {
        return builder().build();
    }

    /** A builder holding the paper's settings ({@link #paper()}): alpha = 3, {@link Normalization#MAX}, 1 thread. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this aggregator's settings. */
    @SuppressWarnings("removal")
    public Builder toBuilder() {
        Builder b = new Builder().alpha(alpha).normalization(normalization).threads(threads);
        if (outHeight != -1) {
            b.outputSize(outHeight, outWidth);
        }
        return b;
    }

    /** Settings for a {@link MultiScaleAggregator}; validated in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private double alpha = DEFAULT_ALPHA;
        private int outHeight = -1;
        private int outWidth = -1;
        private Normalization normalization = Normalization.MAX;
        private int threads = 1;

        private Builder() {
        }

        /** The tanh gain (default 3); finite and &gt; 0. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * A size for {@link #aggregate(ClassMaps)} and {@link #start(int[])}, which take none.
         *
         * @deprecated the output size is per image: pass it to {@link #aggregate(ClassMaps, int, int)} or
         *             {@link #start(int[], int, int)}, and build one aggregator for all images
         */
        @Deprecated(forRemoval = true)
        public Builder outputSize(int height, int width) {
            this.outHeight = height;
            this.outWidth = width;
            return this;
        }

        /** Division by the maximum before the tanh (default {@link Normalization#MAX}). */
        public Builder normalization(Normalization normalization) {
            this.normalization = Checks.notNull(normalization, "normalization");
            return this;
        }

        /** @deprecated use {@link #normalization(Normalization)} */
        @Deprecated(forRemoval = true)
        public Builder normalisation(Normalisation normalisation) {
            return normalization(Checks.notNull(normalisation, "normalisation").toNormalization());
        }

        /**
         * At most this many threads per entry, split over its channels (default 1; the calling thread and
         * {@code threads - 1} shared workers, see {@link org.dcsm.core.impl.Parallel}); results do not depend on it.
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad setting and its value */
        public MultiScaleAggregator build() {
            Checks.positiveFinite(alpha, "alpha");
            Parallel.requireThreads(threads);
            if (outHeight != -1 || outWidth != -1) {
                requireSize(outHeight, outWidth);
            }
            return new MultiScaleAggregator(this);
        }
    }

    private static void requireSize(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("outputSize must be > 0, found " + height + "×" + width
                    + " (height×width)");
        }
        if ((long) height * width > MAX_PIXELS) {
            throw new IllegalArgumentException("outputSize " + height + "×" + width + " is too large");
        }
    }

    /** The tanh gain alpha. */
    public double alpha() {
        return alpha;
    }

    /**
     * @return the deprecated configured output height, or -1
     * @deprecated the output size is an argument of {@link #aggregate(ClassMaps, int, int)}
     */
    @Deprecated(forRemoval = true)
    public int outputHeight() {
        return outHeight;
    }

    /**
     * @return the deprecated configured output width, or -1
     * @deprecated the output size is an argument of {@link #aggregate(ClassMaps, int, int)}
     */
    @Deprecated(forRemoval = true)
    public int outputWidth() {
        return outWidth;
    }

    /** Whether maps are divided by their maximum before the tanh. */
    public Normalization normalization() {
        return normalization;
    }

    /** @deprecated use {@link #normalization()} */
    @Deprecated(forRemoval = true)
    public Normalisation normalisation() {
        return Normalisation.of(normalization);
    }

    /** The most threads each entry's channels are split over. */
    public int threads() {
        return threads;
    }

    /**
     * Starts a streaming aggregation, at {@code height × width}, for maps whose channels are {@code classIds}.
     *
     * @param classIds class id of each channel (distinct, ≥ 0, at least one); copied
     * @param height   the size every map is resized to, normally the input image's; &gt; 0
     * @throws IllegalArgumentException when the ids are empty, negative or repeated, or the size is not positive
     */
    public Aggregation start(int[] classIds, int height, int width) {
        return new Aggregation(classIds, height, width);
    }

    /**
     * {@link #start(int[], int, int)} at the configured output size.
     *
     * @throws IllegalStateException when this aggregator was built without {@code outputSize}
     * @deprecated pass the size: {@link #start(int[], int, int)}
     */
    @Deprecated(forRemoval = true)
    public Aggregation start(int[] classIds) {
        requireConfiguredSize();
        return start(classIds, outHeight, outWidth);
    }

    /**
     * Eq. 5 over all entries of {@code maps} at once, resized to {@code height × width}.
     *
     * @return class maps with {@code maps}' class ids and one untagged entry of {@code height × width} (a copy)
     * @throws IllegalArgumentException when a map holds a negative value or the size is not positive
     */
    public ClassMaps aggregate(ClassMaps maps, int height, int width) {
        Objects.requireNonNull(maps, "maps");
        Aggregation a = start(maps.classIds(), height, width);
        a.add(maps);
        return a.result();
    }

    /**
     * {@link #aggregate(ClassMaps, int, int)} at the configured output size.
     *
     * @throws IllegalStateException when this aggregator was built without {@code outputSize}
     * @deprecated pass the size: {@link #aggregate(ClassMaps, int, int)}
     */
    @Deprecated(forRemoval = true)
    public ClassMaps aggregate(ClassMaps maps) {
        Objects.requireNonNull(maps, "maps");
        requireConfiguredSize();
        return aggregate(maps, outHeight, outWidth);
    }

    private void requireConfiguredSize() {
        if (outHeight == -1) {
            throw new IllegalStateException("outputSize must be set for aggregate(maps) and start(classIds); pass the"
                    + " size instead: aggregate(maps, height, width), start(classIds, height, width)");
        }
    }

    /**
     * A running Eq. 5 mean for one image: add entries (any layer, scale and size) one at a time, then
     * read {@link #result()}. Holds one {@code C×height×width} double sum. Not thread-safe.
     */
    public final class Aggregation {
        private final int[] classIds;
        private final int outHeight;
        private final int outWidth;
        private final double[] sum;
        private final int plane;
        private final Set<String> tags = new HashSet<>();
        private final List<String> layers = new ArrayList<>();
        private final TreeSet<Integer> scales = new TreeSet<>();
        private int count;

        private Aggregation(int[] classIds, int height, int width) {
            this.classIds = ClassIds.of(classIds).toArray(); // non-empty, >= 0, distinct
            requireSize(height, width);
            this.outHeight = height;
            this.outWidth = width;
            this.plane = height * width;
            this.sum = new double[Math.multiplyExact(classIds.length, plane)];
        }

        /**
         * Adds every entry of {@code maps}.
         *
         * @throws IllegalArgumentException when {@code maps}' class ids differ from this aggregation's
         *                                  (the message names both), a map is negative, or an entry's
         *                                  (layer, scale) was added before
         */
        public Aggregation add(ClassMaps maps) {
            Objects.requireNonNull(maps, "maps");
            int[] ids = maps.classIds();
            if (!Arrays.equals(ids, classIds)) {
                throw new IllegalArgumentException("Class ids " + Arrays.toString(ids) + " of the added maps "
                        + maps.entries() + " differ from the aggregation's class ids " + Arrays.toString(classIds)
                        + " (same ids in the same channel order are required)");
            }
            // check every entry before accumulating any, so that a bad entry leaves this aggregation
            // unchanged; the entries' own arrays are read, not copied
            for (ClassMaps.Entry e : maps.entries()) {
                check(e.layer(), e.scale(), e.values(), e.height(), e.width());
            }
            for (ClassMaps.Entry e : maps.entries()) {
                accumulate(e.layer(), e.scale(), e.values(), e.height(), e.width());
            }
            return this;
        }

        /**
         * Adds one {@code C×H×W} map set computed for {@code layer} at {@code scale}, its channels in
         * this aggregation's class-id order.
         *
         * @param layer layer name, or {@link ClassMaps#NO_LAYER}
         * @param scale input size (longest side) it was computed at, or 0
         * @param chw   finite, non-negative, {@code C×H×W}; not modified
         * @throws IllegalArgumentException on a wrong shape, a non-finite or negative value, or a
         *                                  repeated (layer, scale)
         */
        public Aggregation add(String layer, int scale, INDArray chw) {
            Objects.requireNonNull(layer, "layer");
            Objects.requireNonNull(chw, "chw");
            if (chw.rank() != 3 || chw.size(0) != classIds.length || chw.size(1) == 0 || chw.size(2) == 0) {
                throw new IllegalArgumentException("Maps for layer '" + layer + "' at scale " + scale
                        + " must be non-empty " + classIds.length + "×H×W for class ids " + Arrays.toString(classIds)
                        + ", found shape " + Arrays.toString(chw.shape()));
            }
            if (scale < 0) {
                throw new IllegalArgumentException("Scale must be >= 0, found " + scale);
            }
            float[] src = NdArrays.toFloats(chw);
            Checks.finite(src, "maps for layer '" + layer + "' at scale " + scale, chw.shape());
            int h = (int) chw.size(1);
            int w = (int) chw.size(2);
            check(layer, scale, src, h, w);
            accumulate(layer, scale, src, h, w);
            return this;
        }

        /**
         * Flat form of {@link #add(String, int, INDArray)}: one map set as a row-major
         * {@code float[C·height·width]} ('c' order of {@code C×height×width}), channels in this
         * aggregation's class-id order. The array is read, not kept or modified.
         *
         * @throws IllegalArgumentException on a wrong length or size, a non-finite or negative value,
         *                                  or a repeated (layer, scale)
         */
        public Aggregation add(String layer, int scale, float[] chw, int height, int width) {
            Objects.requireNonNull(layer, "layer");
            Objects.requireNonNull(chw, "chw");
            if (height <= 0 || width <= 0) {
                throw new IllegalArgumentException("Maps for layer '" + layer + "' at scale " + scale
                        + " need a positive size, found " + height + "×" + width + " (height×width)");
            }
            if (chw.length != (long) classIds.length * height * width) {
                throw new IllegalArgumentException("Maps for layer '" + layer + "' at scale " + scale + " must hold "
                        + classIds.length + "·" + height + "·" + width + " values for class ids "
                        + Arrays.toString(classIds) + ", found " + chw.length);
            }
            if (scale < 0) {
                throw new IllegalArgumentException("Scale must be >= 0, found " + scale);
            }
            Checks.finite(chw, "maps for layer '" + layer + "' at scale " + scale, classIds.length, height, width);
            check(layer, scale, chw, height, width);
            accumulate(layer, scale, chw, height, width);
            return this;
        }

        private static boolean tagged(String layer, int scale) {
            return !layer.isEmpty() || scale != 0;
        }

        /** Throws on a repeated tagged (layer, scale) or a negative value; changes nothing. */
        private void check(String layer, int scale, float[] src, int h, int w) {
            if (tagged(layer, scale) && tags.contains(layer + "@" + scale)) {
                throw new IllegalArgumentException("Entry for layer '" + layer + "' at scale " + scale
                        + " was already added to this aggregation");
            }
            int inPlane = h * w;
            for (int i = 0; i < src.length; i++) {
                if (src[i] < 0f) {
                    int c = i / inPlane;
                    throw new IllegalArgumentException("Eq. 5 needs non-negative saliency maps, found " + src[i]
                            + " for class id " + classIds[c] + " at (x=" + (i % inPlane) % w + ", y="
                            + (i % inPlane) / w + ") in layer '" + layer + "' at scale " + scale);
                }
            }
        }

        private void accumulate(String layer, int scale, float[] src, int h, int w) {
            float[] resized = BilinearResize.resize(src, classIds.length, h, w, null, outHeight, outWidth);
            boolean normalise = normalization == Normalization.MAX;
            Parallel.shared(threads).forBlocks(classIds.length,
                    (c0, c1) -> ClassMapKernels.accumulateTanh(resized, plane, alpha, normalise, sum, c0, c1));
            if (tagged(layer, scale)) {
                tags.add(layer + "@" + scale);
            }
            if (!layers.contains(layer)) {
                layers.add(layer);
            }
            scales.add(scale);
            count++;
        }

        /** Number of entries added so far (|S|·|L| once all are in). */
        public int count() {
            return count;
        }

        /** The distinct scales seen so far, ascending. */
        public int[] scalesSeen() {
            return scales.stream().mapToInt(Integer::intValue).toArray();
        }

        /** The distinct layer names seen so far, in first-seen order. */
        public List<String> layersSeen() {
            return List.copyOf(layers);
        }

        /** A copy of the class ids. */
        public int[] classIds() {
            return classIds.clone();
        }

        /**
         * The mean of the entries added so far. The aggregation stays usable: more entries may be
         * added and the result read again.
         *
         * @return new class maps with one untagged {@code C×outHeight×outWidth} entry
         * @throws IllegalStateException when nothing was added
         */
        public ClassMaps result() {
            if (count == 0) {
                throw new IllegalStateException("No class maps were added to the aggregation for class ids "
                        + Arrays.toString(classIds));
            }
            float[] mean = new float[sum.length];
            double inv = 1.0 / count;
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (float) (sum[i] * inv);
            }
            return ClassMaps.builder(classIds).addComputed(ClassMaps.NO_LAYER, 0, mean, outHeight, outWidth).build();
        }

        @Override
        public String toString() {
            return "Aggregation[classes=" + Arrays.toString(classIds) + ", entries=" + count + ", layers=" + layers
                    + ", scales=" + scales + "]";
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MultiScaleAggregator[alpha=%s, normalization=%s, threads=%d%s]", alpha,
                normalization, threads, outHeight == -1 ? "" : ", output=" + outHeight + "x" + outWidth + " (h×w)");
    }
}
