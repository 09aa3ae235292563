package org.dcsm.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.dcsm.core.ClassList;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.pipeline.Method;

/**
 * What one partition of {@link DcsmSpark#evaluate} counted: per method a confusion matrix as plain numbers, the
 * images attempted, and the failures (the first {@value #MAX_FAILURES_KEPT} named, all counted). Tallies add up
 * exactly (integer counts), so the sum over partitions is the single-machine matrix whatever the partitioning.
 */
final class Tally implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int MAX_FAILURES_KEPT = 1000;

    final Map<Method, long[][]> counts = new EnumMap<>(Method.class);
    final Map<Method, long[]> voidsAndImages = new EnumMap<>(Method.class);
    long attempted;
    long failed;
    final List<String> failures = new ArrayList<>();

    /** The counts of local matrices. */
    static Tally of(Map<Method, ConfusionMatrix> matrices, long attempted, long failed, List<String> failures) {
        Tally t = new Tally();
        matrices.forEach((m, cm) -> {
            t.counts.put(m, cm.toArray());
            t.voidsAndImages.put(m, new long[] {cm.voidPixels(), cm.images()});
        });
        t.attempted = attempted;
        t.failed = failed;
        t.failures.addAll(failures.subList(0, Math.min(failures.size(), MAX_FAILURES_KEPT)));
        return t;
    }

    /** A new tally with both counts. */
    Tally plus(Tally o) {
        Tally t = new Tally();
        for (Tally s : List.of(this, o)) {
            s.counts.forEach((m, c) -> {
                long[][] sum = t.counts.computeIfAbsent(m, k -> new long[c.length][c.length]);
                for (int i = 0; i < c.length; i++) {
                    for (int j = 0; j < c.length; j++) {
                        sum[i][j] = Math.addExact(sum[i][j], c[i][j]);
                    }
                }
            });
            s.voidsAndImages.forEach((m, v) -> {
                long[] sum = t.voidsAndImages.computeIfAbsent(m, k -> new long[2]);
                sum[0] += v[0];
                sum[1] += v[1];
            });
            t.attempted += s.attempted;
            t.failed += s.failed;
            int room = MAX_FAILURES_KEPT - t.failures.size();
            t.failures.addAll(s.failures.subList(0, Math.min(room, s.failures.size())));
        }
        return t;
    }

    /** The summed matrix of {@code m}. */
    ConfusionMatrix matrix(ClassList classes, Method m) {
        long[][] c = counts.get(m);
        if (c == null) {
            return ConfusionMatrix.of(classes);
        }
        long[] v = voidsAndImages.get(m);
        return ConfusionMatrix.ofCounts(classes, c, v[0], v[1]);
    }
}
