package org.dcsm.crf;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.dcsm.core.impl.Parallel;
import org.dcsm.crf.impl.KernelFilter;

/**
 * One image with the built filters of a CRF's pairwise terms (the permutohedral lattices, or the exact filters that
 * replace them in the calibrated modes) and their kernel row sums, from {@link DenseCrf#prepare(CrfImage)}: run it
 * again with another unary, other weights, another compatibility, another normalisation or other iterations
 * ({@link DenseCrf#start(PreparedImage, UnaryEnergies)} of any CRF with the same image and bandwidths) without
 * rebuilding, as densecrf v2's {@code inference()} runs on its built lattices. The results are bitwise those of the
 * one-shot path ({@link DenseCrf#start(CrfInput)}), which runs the same code on a throwaway instance.
 *
 * <p>What is kept, per filter: the lattice (or exact filter) of a term's features, which depend on the term's kind and
 * bandwidths ({@code sxy}, {@code srgb}, the feature name) and on whether the self term is included, not on its
 * weight; its row sums; and in {@link KernelNormalization#NONE} mode the calibration gain of a lattice. A CRF whose
 * terms need a filter that is not there yet (another bandwidth, or an exact filter that a calibrated mode uses
 * instead of the lattice) builds it on first use and keeps it too, so memory grows with the bandwidths run; prepare
 * one instance per image and set of bandwidths when sweeping them.
 *
 * <p>The filters run on the threads of the CRF that built them ({@link #threads()}); results do not depend on it.
 * Not for concurrent use: the filters hold the buffers of one running inference, so one session at a time may use an
 * instance ({@link DenseCrf#start(PreparedImage, UnaryEnergies)} throws {@link IllegalStateException} while another
 * is open). Holds no thread pool; nothing to close.
 */
public final class PreparedImage {

    /** How a term's messages are summed. */
    enum Route { LATTICE, EXACT, SEPARABLE, WINDOWED }

    /** What a filter depends on: the term's features (not its weight) and how they are summed. */
    record Key(PairwiseTerm.Kind kind, double sxy, double srgb, String name, Route route, boolean selfTerm) {
    }

    /** One built filter and what has been derived from it so far. */
    static final class Built {
        final KernelFilter filter;
        final long latticePoints;
        float[] rowSums;
        float gain = Float.NaN;

        Built(KernelFilter filter, long latticePoints) {
            this.filter = filter;
            this.latticePoints = latticePoints;
        }
    }

    private final CrfImage image;
    private final Parallel parallel;
    private final Map<Key, Built> built = new HashMap<>();
    private boolean inUse;

    PreparedImage(CrfImage image, Parallel parallel) {
        this.image = Objects.requireNonNull(image, "image");
        this.parallel = parallel;
    }

    /** The image (immutable). */
    public CrfImage image() {
        return image;
    }

    public int width() {
        return image.width();
    }

    public int height() {
        return image.height();
    }

    /** The threads the filters run on: those of the CRF that prepared this image. */
    public int threads() {
        return parallel.threads();
    }

    /** The number of filters built so far (one per distinct term bandwidth and summation). */
    public synchronized int filters() {
        return built.size();
    }

    /** Total lattice points over the lattices built so far. */
    public synchronized long latticePoints() {
        return built.values().stream().mapToLong(b -> b.latticePoints).sum();
    }

    Parallel parallel() {
        return parallel;
    }

    synchronized Built get(Key key) {
        return built.get(key);
    }

    synchronized void put(Key key, Built b) {
        built.put(key, b);
    }

    /** Marks this instance as used by a session. */
    synchronized void acquire() {
        if (inUse) {
            throw new IllegalStateException("This prepared image is in use by an open CRF session; close that session "
                    + "first (its filters hold the buffers of one inference), or prepare another instance");
        }
        inUse = true;
    }

    synchronized void release() {
        inUse = false;
    }

    @Override
    public synchronized String toString() {
        return "PreparedImage[" + image + ", " + built.size() + " filters " + built.keySet() + "]";
    }
}
