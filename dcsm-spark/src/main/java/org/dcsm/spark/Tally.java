package org.dcsm.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.dcsm.core.ClassList;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.pipeline.Method;

/**
 * What one partition of {@link DcsmSpark#evaluate} counted: per method a confusion matrix as plain numbers
 * ({@link MatrixSums}), the images attempted, and the failures (the first {@value #MAX_FAILURES_KEPT} named, all counted). Tallies add up
 * exactly (integer counts), so the sum over partitions is the single-machine matrix whatever the partitioning.
 */
final class Tally implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int MAX_FAILURES_KEPT = 1000;

    MatrixSums<Method> sums = new MatrixSums<>();
    long attempted;
    long failed;
    final List<String> failures = new ArrayList<>();

    /** The counts of local matrices. */
    static Tally of(Map<Method, ConfusionMatrix> matrices, long attempted, long failed, List<String> failures) {
        Tally t = new Tally();
        matrices.forEach(t.sums::add);
        t.attempted = attempted;
        t.failed = failed;
        t.failures.addAll(failures.subList(0, Math.min(failures.size(), MAX_FAILURES_KEPT)));
        return t;
    }

    /** A new tally with both counts. */
    Tally plus(Tally o) {
        Tally t = new Tally();
        t.sums = sums.plus(o.sums);
        for (Tally s : List.of(this, o)) {
            t.attempted += s.attempted;
            t.failed += s.failed;
            int room = MAX_FAILURES_KEPT - t.failures.size();
            t.failures.addAll(s.failures.subList(0, Math.min(room, s.failures.size())));
        }
        return t;
    }

    /** The summed matrix of {@code m}. */
    ConfusionMatrix matrix(ClassList classes, Method m) {
        return sums.matrix(classes, m);
    }
}
