package org.dcsm.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.dcsm.core.impl.Checks;
import org.dcsm.core.impl.ClassMapKernels;
import org.dcsm.core.impl.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Class maps of one image: for a set of candidate class ids, one {@code C×H×W} float map per
 * (layer, scale) at which they were computed. A raw extraction (paper §3.3, Eq. 3) holds one entry
 * per requested layer and scale; after {@link ClassMapSubtractor} (Eq. 4) the entries are the
 * distinct maps; after {@link MultiScaleAggregator} (Eq. 5) there is one fused entry.
 *
 * <p>Channel {@code i} of every entry is the map of class id {@code classIds()[i]} (ids as in
 * {@link ClassList}: foreground ids are ≥ 1). All entries share the class ids; they may differ in
 * height and width (different layers and scales), which the aggregator resizes away.
 *
 * <p>Immutable: arrays are copied in (as float) and {@link Entry#maps()} returns a copy. The maps are held on the
 * Java heap as {@code float[]}, not in ND4J's native memory: the steps of Eq. 4, 5 and 7 and the unary read them
 * without copying, and class maps that are no longer referenced cost nothing outside the heap (no native buffer
 * waiting for a garbage collection).
 */
public final class ClassMaps {

    /** Tag for entries that do not come from a network layer (fused or user-made maps). */
    public static final String NO_LAYER = "";

    /** One {@code C×H×W} map set, tagged with the layer and the input scale it came from. */
    public static final class Entry {
        private final String layer;
        private final int scale;
        private final float[] values;
        private final int channels;
        private final int height;
        private final int width;

        private Entry(String layer, int scale, float[] values, int channels, int height, int width) {
            this.layer = layer;
            this.scale = scale;
            this.values = values;
            this.channels = channels;
            this.height = height;
            this.width = width;
        }

        /** The layer name, or {@link ClassMaps#NO_LAYER}. */
        public String layer() {
            return layer;
        }

        /** The input size (longest side, pixels) the maps were computed at; 0 when not applicable. */
        public int scale() {
            return scale;
        }

        public int height() {
            return height;
        }

        public int width() {
            return width;
        }

        /** A new {@code C×H×W} float array holding the maps (a copy; the caller owns it and may close it). */
        public INDArray maps() {
            return Nd4j.create(values, new long[] {channels, height, width}, 'c');
        }

        /** A new row-major {@code float[C·H·W]} copy of the maps. */
        public float[] toFloatArray() {
            return values.clone();
        }

        /** The maps themselves, row-major {@code C·H·W}, for dcsm-core's read-only loops: not to be modified. */
        float[] values() {
            return values;
        }

        @Override
        public String toString() {
            return "Entry[layer=" + (layer.isEmpty() ? "-" : layer) + ", scale=" + scale + ", [" + channels + ", "
                    + height + ", " + width + "]]";
        }
    }

    private final int[] classIds;
    private final List<Entry> entries;

    private ClassMaps(int[] classIds, List<Entry> entries) {
        this.classIds = classIds;
        this.entries = Collections.unmodifiableList(entries);
    }

    /**
     * Class maps with one untagged entry.
     *
     * @param classIds the class id of each channel (distinct, ≥ 0)
     * @param maps     {@code C×H×W}, finite; copied
     */
    public static ClassMaps of(int[] classIds, INDArray maps) {
        return builder(classIds).add(NO_LAYER, 0, maps).build();
    }

    /** A builder for class maps with several (layer, scale) entries sharing {@code classIds}. */
    public static Builder builder(int[] classIds) {
        return new Builder(classIds);
    }

    /** Accumulates entries; validated as they are added. Not thread-safe. */
    public static final class Builder {
        private final int[] classIds;
        private final List<Entry> entries = new ArrayList<>();

        private Builder(int[] classIds) {
            this.classIds = ClassIds.of(classIds).toArray(); // non-empty, >= 0, distinct
        }

        /**
         * Adds a {@code C×H×W} map set (copied as float) for a layer and scale.
         *
         * @throws IllegalArgumentException when the rank, the channel count or a value (NaN, ±Inf) is wrong,
         *                                  or the (layer, scale) pair is already present
         */
        public Builder add(String layer, int scale, INDArray maps) {
            Objects.requireNonNull(layer, "layer");
            Objects.requireNonNull(maps, "maps");
            if (scale < 0) {
                throw new IllegalArgumentException("Scale must be >= 0, found " + scale);
            }
            if (maps.rank() != 3) {
                throw new IllegalArgumentException("Class maps must be C×H×W (rank 3), found shape "
                        + Arrays.toString(maps.shape()) + " for layer '" + layer + "'");
            }
            if (maps.size(0) != classIds.length) {
                throw new IllegalArgumentException("Class maps for layer '" + layer + "' have " + maps.size(0)
                        + " channels but there are " + classIds.length + " class ids " + Arrays.toString(classIds));
            }
            if (maps.size(1) == 0 || maps.size(2) == 0) {
                throw new IllegalArgumentException("Class maps for layer '" + layer + "' are empty: "
                        + Arrays.toString(maps.shape()));
            }
            for (Entry e : entries) {
                if (e.layer.equals(layer) && e.scale == scale) {
                    throw new IllegalArgumentException("Entry for layer '" + layer + "' at scale " + scale
                            + " added twice");
                }
            }
            float[] values = NdArrays.toFloats(maps);
            int bad = ClassMapKernels.firstNonFinite(values, 0, values.length);
            if (bad >= 0) {
                throw new IllegalArgumentException("Non-finite value " + values[bad] + " in class maps for layer '"
                        + layer + "' at scale " + scale + " at index "
                        + Arrays.toString(org.nd4j.linalg.api.shape.Shape.ind2subC(maps.shape(), bad)));
            }
            entries.add(new Entry(layer, scale, values, classIds.length, (int) maps.size(1), (int) maps.size(2)));
            return this;
        }

        /**
         * Adds a map set given as a row-major {@code float[C·height·width]} ('c' order of {@code C×height×width}, the
         * channels in this builder's class-id order) for a layer and scale; the array is copied.
         *
         * @throws IllegalArgumentException when the length or size is wrong, a value is NaN or ±Inf, or the
         *                                  (layer, scale) pair is already present
         */
        public Builder add(String layer, int scale, float[] chw, int height, int width) {
            Objects.requireNonNull(layer, "layer");
            Objects.requireNonNull(chw, "chw");
            if (scale < 0) {
                throw new IllegalArgumentException("Scale must be >= 0, found " + scale);
            }
            return addComputed(layer, scale, chw.clone(), height, width);
        }

        /**
         * Adds an entry from a row-major {@code float[C·H·W]} that dcsm computed itself (the class
         * count is this builder's): checks the length and finiteness only, with a flat loop, and keeps
         * the array (not copied: the caller hands it over).
         */
        Builder addComputed(String layer, int scale, float[] data, int height, int width) {
            long expected = (long) classIds.length * height * width;
            if (height <= 0 || width <= 0 || data.length != expected) {
                throw new IllegalArgumentException("Computed maps for layer '" + layer + "' need " + classIds.length
                        + "×" + height + "×" + width + " values, found " + data.length);
            }
            Checks.finite(data, "computed maps (an input too large for float arithmetic?) for layer '" + layer
                    + "' at scale " + scale, classIds.length, height, width);
            for (Entry e : entries) {
                if (e.layer.equals(layer) && e.scale == scale) {
                    throw new IllegalArgumentException("Entry for layer '" + layer + "' at scale " + scale
                            + " added twice");
                }
            }
            entries.add(new Entry(layer, scale, data, classIds.length, height, width));
            return this;
        }

        /** Number of entries added so far. */
        public int size() {
            return entries.size();
        }

        public ClassMaps build() {
            if (entries.isEmpty()) {
                throw new IllegalStateException("No class maps were added for class ids " + Arrays.toString(classIds));
            }
            return new ClassMaps(classIds, new ArrayList<>(entries));
        }
    }

    /** A copy of the class ids, channel order. */
    public int[] classIds() {
        return classIds.clone();
    }

    /** The class ids, channel order, as a value. */
    public ClassIds ids() {
        return ClassIds.of(classIds);
    }

    /** Number of classes (channels). */
    public int classCount() {
        return classIds.length;
    }

    /** The entries in insertion order (unmodifiable list). */
    public List<Entry> entries() {
        return entries;
    }

    /** The entry for a layer and scale, if present. */
    public Optional<Entry> entry(String layer, int scale) {
        return entries.stream().filter(e -> e.layer.equals(layer) && e.scale == scale).findFirst();
    }

    /**
     * The only entry's maps (a copy), as after aggregation.
     *
     * @throws IllegalStateException when there is more than one entry
     */
    public INDArray single() {
        return singleEntry().maps();
    }

    Entry singleEntry() {
        if (entries.size() != 1) {
            throw new IllegalStateException("Expected one fused map set, found " + entries.size()
                    + " entries " + entries + "; aggregate them with MultiScaleAggregator first");
        }
        return entries.get(0);
    }

    /** The channel index of a class id, or -1. */
    public int channelOf(int classId) {
        for (int i = 0; i < classIds.length; i++) {
            if (classIds[i] == classId) {
                return i;
            }
        }
        return -1;
    }

    /**
     * These maps with the background map of Eq. 7 ({@code 1 − max} over the candidate maps) prepended
     * as class id {@link ClassList#BACKGROUND}, for every entry; see {@link BackgroundEstimator}.
     *
     * @return new class maps (copies)
     * @throws IllegalArgumentException when class id 0 is already present or a value is outside [0, 1]
     */
    public ClassMaps withBackground() {
        return BackgroundEstimator.withBackground(this);
    }

    /**
     * The unary energies {@code −log(max(M, 1e-5))} of the single (fused) entry, channel order as
     * {@link #classIds()}; see {@link Unary#energies(ClassMaps)}. The array does not carry the ids: hand
     * {@link #classIds()} on with it (dcsm-crf's {@code UnaryEnergies.of(unary(), classIds())}), or give the CRF these
     * maps themselves ({@code DenseCrf.infer(image, classMaps)}), so that labels come back as class ids.
     *
     * @return a new {@code C×H×W} float array
     * @throws IllegalStateException when there is more than one entry
     */
    public INDArray unary() {
        return Unary.defaults().energies(this);
    }

    @Override
    public String toString() {
        return "ClassMaps[classes=" + Arrays.toString(classIds) + ", entries=" + entries + "]";
    }
}
