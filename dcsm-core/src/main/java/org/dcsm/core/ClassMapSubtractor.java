package org.dcsm.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import org.dcsm.core.impl.Checks;
import org.dcsm.core.impl.ClassMapKernels;
import org.dcsm.core.impl.NdArrays;
import org.dcsm.core.impl.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The subtraction of the other candidates' maps, paper §3.3, Eq. 4, which makes each class's saliency
 * map distinct from the others. For every entry (layer {@code i}, scale) separately and every channel
 * {@code c}:
 * <ul>
 * <li>{@link Rule#PAPER} (default, {@link #paper()}), Eq. 4 as printed:
 * {@code M~c = Σ_{c'≠c} max(Mc − Mc', 0)};</li>
 * <li>{@link Rule#AUTHORS_CODE} ({@link #authorsCode()}), what the authors' released code does: each
 * pair's difference {@code d = max(Mc − Mc', 0)} is divided by its own maximum over x,y and passed
 * through {@code tanh(alpha·)} (alpha = 3 by default) before summing:
 * {@code M~c = Σ_{c'≠c} tanh(alpha · d / max_{x,y} d)}; a pair whose difference is 0 everywhere
 * adds 0;</li>
 * <li>{@link Rule#NONE} ({@link #none()}), no subtraction, for the paper's ablation (Table 3): the
 * maps are returned unchanged.</li>
 * </ul>
 *
 * <p><b>One candidate.</b> With a single candidate the sum in Eq. 4 is over an empty set, so a literal
 * reading gives a map of zeros, which would erase the only class (and, after Eq. 7, label the whole
 * image background). The default {@link SingleCandidate#KEEP_RAW} deviates from that literal reading
 * and keeps the raw map; {@link SingleCandidate#ZERO} gives the literal empty sum. The candidate step
 * normally tops candidates up to at least 3 (paper) or 4 (authors' code), so this only matters when a
 * caller passes fewer.
 *
 * <p>The maps must not include the background (class id 0): Eq. 4 works on the network's candidate
 * classes, and the background of Eq. 7 is added afterwards.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}. Results are new arrays (copies).
 * Work is split over channels on {@link Builder#threads(int)} threads; the result does not depend on
 * the thread count.
 */
public final class ClassMapSubtractor {

    /** Which form of Eq. 4 to compute. */
    public enum Rule {
        /** {@code Σ_{c'≠c} max(Mc − Mc', 0)}, Eq. 4 as printed in the paper. */
        PAPER,
        /** {@code Σ_{c'≠c} tanh(alpha · d / max d)} with {@code d = max(Mc − Mc', 0)}, the authors' code. */
        AUTHORS_CODE,
        /** No subtraction (identity), the paper's "without subtraction" ablation. */
        NONE
    }

    /** What a map set with exactly one candidate class becomes under {@link Rule#PAPER} or {@link Rule#AUTHORS_CODE}. */
    public enum SingleCandidate {
        /** Keep the raw map unchanged (default; deviates from the literal empty sum). */
        KEEP_RAW,
        /** The literal empty sum: a map of zeros. */
        ZERO
    }

    /** Default alpha of the authors' code variant. */
    public static final double DEFAULT_ALPHA = 3.0;

    private final Rule rule;
    private final double alpha;
    private final SingleCandidate singleCandidate;
    private final int threads;

    private ClassMapSubtractor(Builder b) {
        this.rule = b.rule;
        this.alpha = b.alpha;
        this.singleCandidate = b.singleCandidate;
        this.threads = b.threads;
    }

    /** Eq. 4 as printed in the paper, one thread, single candidate kept raw. */
    public static ClassMapSubtractor paper() {
        return builder().build();
    }

    /** The authors' code variant with alpha = 3, one thread, single candidate kept raw. */
    public static ClassMapSubtractor authorsCode() {
        return builder().rule(Rule.AUTHORS_CODE).build();
    }

    /** No subtraction (identity), for the ablation without Eq. 4. */
    public static ClassMapSubtractor none() {
        return builder().rule(Rule.NONE).build();
    }

    /** A builder starting from the paper's rule, alpha = 3, {@link SingleCandidate#KEEP_RAW}, 1 thread. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this subtractor's settings. */
    public Builder toBuilder() {
        return new Builder().rule(rule).alpha(alpha).singleCandidate(singleCandidate).threads(threads);
    }

    /** Settings for a {@link ClassMapSubtractor}; validated in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private Rule rule = Rule.PAPER;
        private double alpha = DEFAULT_ALPHA;
        private SingleCandidate singleCandidate = SingleCandidate.KEEP_RAW;
        private int threads = 1;

        private Builder() {
        }

        /** The form of Eq. 4 (default {@link Rule#PAPER}). */
        public Builder rule(Rule rule) {
            this.rule = rule;
            return this;
        }

        /** The tanh gain of {@link Rule#AUTHORS_CODE} (default 3); must be finite and &gt; 0. Ignored by the other rules. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** What one candidate becomes (default {@link SingleCandidate#KEEP_RAW}). */
        public Builder singleCandidate(SingleCandidate singleCandidate) {
            this.singleCandidate = singleCandidate;
            return this;
        }

        /**
         * At most this many threads, split over the channels (default 1; the calling thread and {@code threads - 1}
         * shared workers, see {@link org.dcsm.core.impl.Parallel}); results do not depend on it.
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the bad setting and its value
         * @throws NullPointerException     when rule or singleCandidate is null
         */
        public ClassMapSubtractor build() {
            Checks.notNull(rule, "rule");
            Checks.notNull(singleCandidate, "singleCandidate");
            Checks.positiveFinite(alpha, "alpha");
            Parallel.requireThreads(threads);
            return new ClassMapSubtractor(this);
        }
    }

    /** The form of Eq. 4 computed. */
    public Rule rule() {
        return rule;
    }

    /** The tanh gain of {@link Rule#AUTHORS_CODE}. */
    public double alpha() {
        return alpha;
    }

    /** What a single candidate becomes. */
    public SingleCandidate singleCandidate() {
        return singleCandidate;
    }

    /** Number of threads the channels are split over. */
    public int threads() {
        return threads;
    }

    /**
     * Applies Eq. 4 to every entry (each layer and scale separately, as the paper does per layer
     * {@code i}), keeping the entries' tags and order.
     *
     * @param maps candidate maps; must not contain class id 0
     * @return new class maps with the same class ids and entries (copies, even for {@link Rule#NONE})
     * @throws IllegalArgumentException when {@code maps} holds the background class id 0
     */
    public ClassMaps subtract(ClassMaps maps) {
        Objects.requireNonNull(maps, "maps");
        int[] ids = maps.classIds();
        requireNoBackground(ids);
        ClassMaps.Builder out = ClassMaps.builder(ids);
        for (ClassMaps.Entry e : maps.entries()) {
            float[] src = e.values();
            float[] dst = subtract(src, ids.length, e.height(), e.width(), null);
            out.addComputed(e.layer(), e.scale(), dst, e.height(), e.width());
        }
        return out.build();
    }

    /**
     * Applies Eq. 4 to one {@code C×H×W} map set whose channels are the candidate classes.
     *
     * @param chw finite, rank 3, at least one channel; not modified
     * @return a new {@code C×H×W} float array in 'c' order
     * @throws IllegalArgumentException on a wrong rank, an empty array or a non-finite value
     */
    public INDArray subtract(INDArray chw) {
        Objects.requireNonNull(chw, "chw");
        if (chw.rank() != 3 || chw.length() == 0) {
            throw new IllegalArgumentException("Eq. 4 needs non-empty C×H×W maps (rank 3), found shape "
                    + Arrays.toString(chw.shape()));
        }
        float[] src = NdArrays.toFloats(chw);
        Checks.finite(src, "maps to subtract", chw.shape());
        int c = (int) chw.size(0);
        int h = (int) chw.size(1);
        int w = (int) chw.size(2);
        return Nd4j.create(subtract(src, c, h, w, null), new long[] {c, h, w}, 'c');
    }

    /**
     * Flat form: Eq. 4 on {@code channels} row-major planes of {@code height × width}.
     *
     * @param src finite values, {@code channels·height·width} of them; not modified
     * @param dst output of the same length or {@code null} to allocate; modified
     * @return {@code dst} or the new array
     */
    public float[] subtract(float[] src, int channels, int height, int width, float[] dst) {
        Objects.requireNonNull(src, "src");
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("channels, height and width must be > 0, found " + channels + ", "
                    + height + ", " + width);
        }
        int plane = Math.multiplyExact(height, width);
        int length = Math.multiplyExact(channels, plane);
        if (src.length != length) {
            throw new IllegalArgumentException("src must hold " + channels + "·" + height + "·" + width + " = "
                    + length + " values, found " + src.length);
        }
        if (dst == null) {
            dst = new float[length];
        } else if (dst.length != length) {
            throw new IllegalArgumentException("dst must hold " + length + " values, found " + dst.length);
        }
        if (rule == Rule.NONE || (channels == 1 && singleCandidate == SingleCandidate.KEEP_RAW)) {
            System.arraycopy(src, 0, dst, 0, length);
            return dst;
        }
        float[] out = dst;
        Parallel parallel = Parallel.shared(threads);
        if (rule == Rule.PAPER) {
            parallel.forBlocks(channels, (c0, c1) -> ClassMapKernels.subtractPaper(src, channels, plane, out, c0, c1));
        } else {
            parallel.forBlocks(channels, (c0, c1) -> ClassMapKernels.subtractAuthors(
                    src, channels, plane, alpha, out, new float[plane], c0, c1));
        }
        return dst;
    }

    private static void requireNoBackground(int[] ids) {
        for (int id : ids) {
            if (id == ClassList.BACKGROUND) {
                throw new IllegalArgumentException("Eq. 4 subtracts candidate class maps, but class ids "
                        + Arrays.toString(ids) + " contain the background id 0; subtract before withBackground()");
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ClassMapSubtractor[rule=%s, alpha=%s, singleCandidate=%s, threads=%d]",
                rule, alpha, singleCandidate, threads);
    }
}
