package org.dcsm.crf.impl;

/**
 * dcsm-core's {@link org.dcsm.core.impl.Parallel} under its old dcsm-crf name, kept for one release: the same
 * threads and pool (a view, nothing of its own). Only {@link PermutohedralLattice} still names it; use
 * {@code org.dcsm.core.impl.Parallel}.
 *
 * @deprecated use {@link org.dcsm.core.impl.Parallel}; removed once {@link PermutohedralLattice} imports it
 */
@Deprecated(forRemoval = true)
public final class Parallel extends org.dcsm.core.impl.Parallel {

    private static final java.util.concurrent.ConcurrentHashMap<Integer, Parallel> SHARED =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final org.dcsm.core.impl.Parallel owner;

    private Parallel(org.dcsm.core.impl.Parallel owner) {
        super(owner);
        this.owner = owner;
    }

    /** This name for {@code runner} (the same threads and pool; closing the view closes {@code runner}). */
    public static Parallel of(org.dcsm.core.impl.Parallel runner) {
        if (runner instanceof Parallel p) {
            return p;
        }
        return new Parallel(runner);
    }

    /** {@link org.dcsm.core.impl.Parallel#shared(int)} under this name. */
    public static Parallel shared(int threads) {
        org.dcsm.core.impl.Parallel runner = org.dcsm.core.impl.Parallel.shared(threads);
        return SHARED.computeIfAbsent(threads, t -> new Parallel(runner));
    }

    /** {@link org.dcsm.core.impl.Parallel#create(int)} under this name. */
    public static Parallel create(int threads) {
        return new Parallel(org.dcsm.core.impl.Parallel.create(threads));
    }

    /** Closes the runner this is a view of (a shared one ignores it). */
    @Override
    public void close() {
        owner.close();
    }
}
