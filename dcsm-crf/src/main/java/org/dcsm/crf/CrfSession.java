package org.dcsm.crf;

import org.dcsm.core.LabelMap;
import org.dcsm.core.impl.Parallel;
import org.dcsm.crf.impl.MeanField;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One step-wise dense-CRF inference on one image, from {@link DenseCrf#start} or {@link ExactDenseCrf#start}:
 * the lattices are built and {@code Q = softmax(-U)} is set when it opens; each {@link #step()} is one
 * mean-field iteration. Read the marginals, the MAP labels, the free energy ({@code KL(Q||P) - log Z}) or
 * the last change of Q between steps to monitor convergence. Not thread-safe; close it (it may own a
 * thread pool).
 */
public final class CrfSession implements AutoCloseable {

    private final MeanField meanField;
    private final UnaryEnergies unary;
    private final int configuredIterations;
    private final Parallel parallel;
    private final long buildNanos;
    private final long latticePoints;
    private final long latticeBytes;
    private final Runnable onClose;
    private boolean closed;

    CrfSession(MeanField meanField, UnaryEnergies unary, int configuredIterations, Parallel parallel,
               long buildNanos, long latticePoints, long latticeBytes, Runnable onClose) {
        this.onClose = onClose;
        this.meanField = meanField;
        this.unary = unary;
        this.configuredIterations = configuredIterations;
        this.parallel = parallel;
        this.buildNanos = buildNanos;
        this.latticePoints = latticePoints;
        this.latticeBytes = latticeBytes;
    }

    /** One mean-field iteration. */
    public CrfSession step() {
        requireOpen();
        meanField.step();
        return this;
    }

    /** {@code count} mean-field iterations. */
    public CrfSession step(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, found " + count);
        }
        for (int i = 0; i < count; i++) {
            step();
        }
        return this;
    }

    /** Steps until the configured {@link DenseCrf#iterations()} have been done in total. */
    public CrfSession run() {
        while (iterations() < configuredIterations) {
            step();
        }
        return this;
    }

    /** Iterations done so far. */
    public int iterations() {
        return meanField.iterations();
    }

    /**
     * Mean over pixels of {@code sum_l |Q_new(l) - Q_old(l)|} in the last step (between 0 and 2); NaN before
     * the first step.
     */
    public double lastChange() {
        return meanField.lastChange();
    }

    /**
     * The mean-field free energy of the current Q, {@code sum_i E_Q[U_i] + E_Q[pairwise] - H(Q)}, which
     * equals {@code KL(Q || P) - log Z} ({@code P} the CRF's distribution, {@code Z} its unknown partition
     * function): differences between steps are differences of the KL divergence. It decreases under the
     * updates for symmetric kernels ({@link KernelNormalization#NONE}, {@code MEAN}, {@code SYMMETRIC}) when
     * they converge; parallel mean-field updates may oscillate. Costs one message pass.
     */
    public double freeEnergy() {
        requireOpen();
        return meanField.freeEnergy();
    }

    /** The marginals Q as a new {@code M×H×W} float array (a copy). */
    public INDArray marginals() {
        requireOpen();
        return toPlanar();
    }

    /**
     * The marginals Q written into {@code out} in the given layout ({@code M * H * W} floats; they sum to 1 over labels
     * at every pixel); a new array when {@code out} is null. Loads no ND4J class.
     *
     * @return {@code out}, or the new array
     * @throws IllegalArgumentException when {@code out} has another length
     */
    public float[] marginals(float[] out, UnaryLayout layout) {
        requireOpen();
        java.util.Objects.requireNonNull(layout, "layout");
        int m = unary.labels();
        int n = unary.width() * unary.height();
        float[] dst = out == null ? new float[m * n] : out;
        if (dst.length != m * n) {
            throw new IllegalArgumentException("marginals out: " + m + " labels over " + unary.width() + "x"
                    + unary.height() + " pixels need " + m * n + " floats, found " + dst.length);
        }
        float[] q = meanField.q();
        int stride = meanField.stride();
        if (layout == UnaryLayout.PIXEL_MAJOR) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(q, i * stride, dst, i * m, m);
            }
        } else {
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < m; l++) {
                    dst[l * n + i] = q[i * stride + l];
                }
            }
        }
        return dst;
    }

    /**
     * The MAP labels written into {@code out}: per pixel {@code y * W + x} the class id of the most probable label
     * (ties: the first label); a new array when {@code out} is null. Loads no ND4J class.
     *
     * @return {@code out}, or the new array
     * @throws IllegalArgumentException when {@code out} is not {@code W * H} long
     */
    public int[] labels(int[] out) {
        requireOpen();
        float[] q = meanField.q();
        int stride = meanField.stride();
        int m = unary.labels();
        int n = unary.width() * unary.height();
        int[] dst = out == null ? new int[n] : out;
        if (dst.length != n) {
            throw new IllegalArgumentException("labels out: " + unary.width() + "x" + unary.height() + " pixels need "
                    + n + " ints, found " + dst.length);
        }
        int[] ids = unary.classIdsView();
        parallel.forRange(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                int o = i * stride;
                int best = 0;
                for (int l = 1; l < m; l++) {
                    if (q[o + l] > q[o + best]) {
                        best = l;
                    }
                }
                dst[i] = ids[best];
            }
        });
        return dst;
    }

    /** The MAP labels (per pixel the class id of the most probable label; ties: the first label). */
    public LabelMap labels() {
        return LabelMap.of(unary.width(), unary.height(), labels((int[]) null));
    }

    /** The marginals and labels now. */
    public CrfResult result() {
        return new CrfResult(marginals(), labels());
    }

    /**
     * Wall time spent building the lattices (or exact filters) and normalisations when the session opened, in
     * nanoseconds; on a {@link PreparedImage} only what was not there yet (often just the normalisation factors).
     */
    public long constructionNanos() {
        return buildNanos;
    }

    /** Total lattice points over all terms (0 for the exact CRF). */
    public long latticePoints() {
        return latticePoints;
    }

    /** Bytes held by the lattices, their value buffers included (0 for the exact CRF). */
    public long latticeBytes() {
        return latticeBytes;
    }

    private INDArray toPlanar() {
        float[] planar = marginals(null, UnaryLayout.LABEL_MAJOR);
        return Nd4j.create(planar, new long[] {unary.labels(), unary.height(), unary.width()}, 'c');
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("The CRF session is closed");
        }
    }

    /** Releases the thread pool and the prepared image it ran on; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                parallel.close();
            } finally {
                onClose.run();
            }
        }
    }
}
