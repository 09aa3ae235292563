package org.dcsm.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.dcsm.core.ClassList;
import org.dcsm.core.eval.ConfusionMatrix;

/**
 * What tasks of {@link DcsmSpark#tuneCrf}'s second stage counted: per point of the search (key
 * {@code alpha index * grid size + grid index}) a confusion matrix as plain numbers (counts, void pixels, images).
 * Sparse: a task holds the points of its θ-group only. Tallies add up exactly (integer counts), so the sum over
 * tasks is the single-machine matrix of every point whatever the partitioning.
 */
final class GridTally implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Map<Integer, long[][]> counts = new HashMap<>();
    private final Map<Integer, long[]> voidsAndImages = new HashMap<>();

    /** Adds a local matrix's counts to point {@code key}. */
    void add(int key, ConfusionMatrix cm) {
        add(key, cm.toArray(), new long[] {cm.voidPixels(), cm.images()});
    }

    private void add(int key, long[][] c, long[] v) {
        long[][] sum = counts.computeIfAbsent(key, k -> new long[c.length][c.length]);
        if (sum.length != c.length) {
            throw new IllegalArgumentException("Point " + key + ": a " + c.length + "-class matrix cannot be added to a "
                    + sum.length + "-class one");
        }
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c.length; j++) {
                sum[i][j] = Math.addExact(sum[i][j], c[i][j]);
            }
        }
        long[] vs = voidsAndImages.computeIfAbsent(key, k -> new long[2]);
        vs[0] = Math.addExact(vs[0], v[0]);
        vs[1] = Math.addExact(vs[1], v[1]);
    }

    /** A new tally with both counts. */
    GridTally plus(GridTally o) {
        GridTally t = new GridTally();
        for (GridTally s : List.of(this, o)) {
            s.counts.forEach((k, c) -> t.add(k, c, s.voidsAndImages.get(k)));
        }
        return t;
    }

    /** The summed matrix of point {@code key} (an empty one when no task counted it). */
    ConfusionMatrix matrix(ClassList classes, int key) {
        long[][] c = counts.get(key);
        if (c == null) {
            return ConfusionMatrix.of(classes);
        }
        long[] v = voidsAndImages.get(key);
        return ConfusionMatrix.ofCounts(classes, c, v[0], v[1]);
    }
}
