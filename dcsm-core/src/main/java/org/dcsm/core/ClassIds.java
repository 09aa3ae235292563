package org.dcsm.core;

import java.util.Arrays;

/**
 * The class id of each channel of a map set, in channel order: at least one, each {@code >= 0}, no id twice (ids as
 * in {@link ClassList}: 0 is the background). The one place these rules are checked: {@link ClassMaps}, {@link Unary},
 * dcsm-crf's {@code UnaryEnergies} and the saliency extractor's candidate list all validate through it, with the same
 * messages. Immutable; never hands out its array. Loads no ND4J class.
 */
public final class ClassIds {

    private final int[] ids;

    private ClassIds(int[] ids) {
        this.ids = ids;
    }

    /**
     * The ids of channels {@code 0..n-1}, in channel order (copied).
     *
     * @throws NullPointerException     "classIds" for null
     * @throws IllegalArgumentException "classIds must hold at least one class id, found none"; "Class ids must be >=
     *                                  0, found -1 in [3, -1]"; "Class id 3 appears twice in [3, 1, 3]"
     */
    public static ClassIds of(int... classIds) {
        if (classIds == null) {
            throw new NullPointerException("classIds");
        }
        if (classIds.length == 0) {
            throw new IllegalArgumentException("classIds must hold at least one class id, found none");
        }
        int[] sorted = classIds.clone();
        Arrays.sort(sorted);
        if (sorted[0] < 0) {
            throw new IllegalArgumentException("Class ids must be >= 0, found " + sorted[0] + " in "
                    + Arrays.toString(classIds));
        }
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("Class id " + sorted[i] + " appears twice in "
                        + Arrays.toString(classIds));
            }
        }
        return new ClassIds(classIds.clone());
    }

    /**
     * Ids {@code 0..count-1}: each channel index read as its own id (where a name says so, e.g. dcsm-crf's
     * {@code UnaryEnergies.ofChannelIndices}).
     *
     * @throws IllegalArgumentException when {@code count < 1}
     */
    public static ClassIds channelIndices(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, found " + count);
        }
        int[] ids = new int[count];
        Arrays.setAll(ids, i -> i);
        return new ClassIds(ids);
    }

    /** The number of channels. */
    public int size() {
        return ids.length;
    }

    /** The id of channel {@code channel}. */
    public int get(int channel) {
        return ids[channel];
    }

    /** The channel of {@code id}, or -1 when absent. */
    public int indexOf(int id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code id} is one of these. */
    public boolean contains(int id) {
        return indexOf(id) >= 0;
    }

    /** The ids in channel order (a copy). */
    public int[] toArray() {
        return ids.clone();
    }

    /**
     * @return this
     * @throws IllegalArgumentException "Expected one class id per {@code what} (3), found 2: [1, 2]"
     */
    public ClassIds requireSize(long count, String what) {
        if (ids.length != count) {
            throw new IllegalArgumentException("Expected one class id per " + what + " (" + count + "), found "
                    + ids.length + ": " + this);
        }
        return this;
    }

    /**
     * @param why appended to the message, e.g. "(the network scores 20 foreground classes)"
     * @return this
     * @throws IllegalArgumentException "Class id 21 is outside 1..20 {@code why}" for the first id out of range
     */
    public ClassIds requireWithin(int min, long max, String why) {
        for (int id : ids) {
            if (id < min || id > max) {
                throw new IllegalArgumentException("Class id " + id + " is outside " + min + ".." + max
                        + (why.isEmpty() ? "" : " " + why));
            }
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassIds other && Arrays.equals(ids, other.ids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    /** The ids in channel order, e.g. {@code [0, 12, 15]}. */
    @Override
    public String toString() {
        return Arrays.toString(ids);
    }
}
