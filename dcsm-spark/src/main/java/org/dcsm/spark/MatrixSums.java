package org.dcsm.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.dcsm.core.ClassList;
import org.dcsm.core.eval.ConfusionMatrix;

/**
 * Confusion matrices as plain numbers (counts, void pixels, images) under keys: per method in {@link Tally}
 * ({@link DcsmSpark#evaluate}), per point of the search in {@link DcsmSpark#tuneCrf} (key
 * {@code alpha index * grid size + grid index}; a task holds the points of its θ-group only). Sums are exact
 * (integer counts, overflow checked), so the sum over tasks is the single-machine matrix whatever the partitioning.
 * Not thread-safe; {@link #plus} returns a new object.
 *
 * @param <K> the key: a serializable value with equals and hashCode
 */
final class MatrixSums<K extends Serializable> implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Map<K, long[][]> counts = new HashMap<>();
    private final Map<K, long[]> voidsAndImages = new HashMap<>();

    /** Adds a local matrix's counts to {@code key}'s. */
    void add(K key, ConfusionMatrix cm) {
        add(key, cm.toArray(), new long[] {cm.voidPixels(), cm.images()});
    }

    private void add(K key, long[][] c, long[] v) {
        long[][] sum = counts.computeIfAbsent(key, k -> new long[c.length][c.length]);
        if (sum.length != c.length) {
            throw new IllegalArgumentException("Key " + key + ": a " + c.length + "-class matrix cannot be added to a "
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

    /** A new object with both objects' counts. */
    MatrixSums<K> plus(MatrixSums<K> o) {
        MatrixSums<K> t = new MatrixSums<>();
        for (MatrixSums<K> s : List.of(this, o)) {
            s.counts.forEach((k, c) -> t.add(k, c, s.voidsAndImages.get(k)));
        }
        return t;
    }

    /** The summed matrix of {@code key} (an empty one when nothing was counted under it). */
    ConfusionMatrix matrix(ClassList classes, K key) {
        long[][] c = counts.get(key);
        if (c == null) {
            return ConfusionMatrix.of(classes);
        }
        long[] v = voidsAndImages.get(key);
        return ConfusionMatrix.ofCounts(classes, c, v[0], v[1]);
    }
}
