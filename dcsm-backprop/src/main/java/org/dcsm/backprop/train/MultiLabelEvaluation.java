package org.dcsm.backprop.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.core.impl.NdArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Multi-label classification quality of per-class scores against image-level labels: per-class average
 * precision (PASCAL VOC style, non-interpolated: the mean, over the class's positive images, of the
 * precision at each positive's rank when images are sorted by descending score), their mean (mAP) over the
 * classes that have at least one positive, and exact-match accuracy (the fraction of images whose set of
 * classes with score &gt; threshold equals the label set).
 *
 * <p>Ties in score are ranked pessimistically (negatives before positives), so a constant scorer gets the
 * lowest AP its ties allow. Holds copies of the scores and labels; immutable.
 */
public final class MultiLabelEvaluation {

    /** The default decision threshold on σ(score). */
    public static final double DEFAULT_THRESHOLD = 0.5;

    private final int n;
    private final int k;
    private final float[] scores;
    private final boolean[] labels;
    private final double[] ap;

    private MultiLabelEvaluation(float[] scores, boolean[] labels, int n, int k) {
        this.n = n;
        this.k = k;
        this.scores = scores;
        this.labels = labels;
        this.ap = new double[k];
        for (int c = 0; c < k; c++) {
            ap[c] = averagePrecision(scores, labels, n, k, c);
        }
    }

    /**
     * Evaluates flat scores and labels.
     *
     * @param scores row-major [n, k] scores (probabilities for the exact-match threshold), copied
     * @param labels row-major [n, k] presence flags, copied
     * @throws IllegalArgumentException when sizes disagree, n or k is 0, or a score is NaN
     */
    public static MultiLabelEvaluation of(float[] scores, boolean[] labels, int n, int k) {
        if (n < 1 || k < 1) {
            throw new IllegalArgumentException("need at least one image and one class, found n=" + n + ", k=" + k);
        }
        if (scores.length != n * k || labels.length != n * k) {
            throw new IllegalArgumentException("scores and labels must have n*k = " + (n * k) + " entries, found "
                    + scores.length + " and " + labels.length);
        }
        for (int i = 0; i < scores.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException("score of image " + (i / k) + ", class channel " + (i % k) + " is NaN");
            }
        }
        return new MultiLabelEvaluation(scores.clone(), labels.clone(), n, k);
    }

    /**
     * Scores every image with {@code model} (one image per forward pass, so sizes may differ; an image
     * smaller than the model's minimum input is zero-padded, centred, up to it) and evaluates.
     *
     * @throws IllegalArgumentException when {@code data} is empty or holds a class id above K
     */
    public static MultiLabelEvaluation evaluate(FcnModel model, Iterable<LabeledImage> data) {
        Objects.requireNonNull(model, "model");
        Tally tally = new Tally(model.numClasses());
        for (LabeledImage im : data) {
            tally.add(im.classIds(), scoreImage(model, im));
        }
        if (tally.imageCount() == 0) {
            throw new IllegalArgumentException("evaluation data is empty");
        }
        return tally.evaluation();
    }

    /**
     * The model's K class scores for one image (one forward pass; an image smaller than the model's minimum
     * input is zero-padded, centred, up to it). For callers that score images as they stream past, e.g.
     * into a {@link Tally}.
     *
     * @throws IllegalArgumentException when the image holds a class id above K
     */
    public static float[] scoreImage(FcnModel model, LabeledImage im) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(im, "image");
        int k = model.numClasses();
        if (im.maxClassId() > k) {
            throw new IllegalArgumentException("class id " + im.maxClassId() + " of " + im + " is outside 1.." + k
                    + " (the model's foreground classes)");
        }
        boolean fits = im.height() >= model.minimumInputSize() && im.width() >= model.minimumInputSize();
        INDArray input = fits ? im.image().reshape(1, 3, im.height(), im.width())
                : BatchAssembler.assemble(List.of(im), k, 1.0, 0, model.minimumInputSize()).input();
        INDArray scores = model.scores(input);
        float[] values = NdArrays.toFloats(scores);
        NdArrays.closeAll(scores, fits ? null : input);
        return values;
    }

    /**
     * Collects one row of scores and labels per image, so that a stream of images can be evaluated without
     * holding the images. Not thread-safe.
     */
    public static final class Tally {
        private final int k;
        private final List<float[]> rows = new ArrayList<>();
        private final List<int[]> classIds = new ArrayList<>();

        /** A tally for K classes (ids 1..K). */
        public Tally(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("need at least one class, found k=" + k);
            }
            this.k = k;
        }

        /**
         * Adds one image's labels and its K scores.
         *
         * @throws IllegalArgumentException when there are not K scores or a class id is outside 1..K
         */
        public void add(int[] imageClassIds, float[] scores) {
            if (scores.length != k) {
                throw new IllegalArgumentException("expected " + k + " scores, found " + scores.length);
            }
            for (int id : imageClassIds) {
                if (id < 1 || id > k) {
                    throw new IllegalArgumentException("class id " + id + " is outside 1.." + k);
                }
            }
            rows.add(scores.clone());
            classIds.add(imageClassIds.clone());
        }

        /** Images added so far. */
        public int imageCount() {
            return rows.size();
        }

        /**
         * Evaluates the images added so far.
         *
         * @throws IllegalArgumentException when none was added
         */
        public MultiLabelEvaluation evaluation() {
            int n = rows.size();
            if (n == 0) {
                throw new IllegalArgumentException("no image was added to the tally");
            }
            float[] scores = new float[n * k];
            boolean[] labels = new boolean[n * k];
            for (int i = 0; i < n; i++) {
                System.arraycopy(rows.get(i), 0, scores, i * k, k);
                for (int id : classIds.get(i)) {
                    labels[i * k + id - 1] = true;
                }
            }
            return of(scores, labels, n, k);
        }
    }

    /** Convenience for callers holding ND4J arrays: [n, k] scores and [n, k] 0/1 labels. */
    public static MultiLabelEvaluation of(INDArray scores, INDArray labels) {
        if (scores.rank() != 2 || !Arrays.equals(scores.shape(), labels.shape())) {
            throw new IllegalArgumentException("scores and labels must both be [n, k], found "
                    + Arrays.toString(scores.shape()) + " and " + Arrays.toString(labels.shape()));
        }
        float[] s = NdArrays.toFloats(scores);
        float[] l = NdArrays.toFloats(labels);
        boolean[] b = new boolean[l.length];
        for (int i = 0; i < l.length; i++) {
            b[i] = l[i] > 0.5f;
        }
        return of(s, b, (int) scores.size(0), (int) scores.size(1));
    }

    static double averagePrecision(float[] scores, boolean[] labels, int n, int k, int c) {
        int positives = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i * k + c]) {
                positives++;
            }
        }
        if (positives == 0) {
            return Double.NaN;
        }
        // sort indices by score descending, negatives first among ties
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int cmp = Float.compare(scores[b * k + c], scores[a * k + c]);
            if (cmp != 0) {
                return cmp;
            }
            return Boolean.compare(labels[a * k + c], labels[b * k + c]);
        });
        int tp = 0;
        double sum = 0;
        for (int r = 0; r < n; r++) {
            if (labels[order[r] * k + c]) {
                tp++;
                sum += (double) tp / (r + 1);
            }
        }
        return sum / positives;
    }

    /** Number of images. */
    public int imageCount() {
        return n;
    }

    /** Number of classes K. */
    public int classCount() {
        return k;
    }

    /**
     * Average precision of class id {@code classId} (1..K), NaN when the class has no positive image.
     */
    public double averagePrecision(int classId) {
        if (classId < 1 || classId > k) {
            throw new IllegalArgumentException("class id must be in 1.." + k + ", found " + classId);
        }
        return ap[classId - 1];
    }

    /** Per-class AP indexed by network channel (class id − 1); a copy. */
    public double[] averagePrecisions() {
        return ap.clone();
    }

    /** Mean AP over the classes with at least one positive (NaN when none has). */
    public double meanAveragePrecision() {
        double sum = 0;
        int count = 0;
        for (double a : ap) {
            if (!Double.isNaN(a)) {
                sum += a;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Exact-match accuracy at threshold 0.5. */
    public double exactMatchAccuracy() {
        return exactMatchAccuracy(DEFAULT_THRESHOLD);
    }

    /** Fraction of images whose predicted set {c : score &gt; threshold} equals their label set. */
    public double exactMatchAccuracy(double threshold) {
        int exact = 0;
        for (int i = 0; i < n; i++) {
            boolean same = true;
            for (int c = 0; c < k && same; c++) {
                same = (scores[i * k + c] > threshold) == labels[i * k + c];
            }
            if (same) {
                exact++;
            }
        }
        return (double) exact / n;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "MultiLabelEvaluation{images=%d, mAP=%.4f, exactMatch@0.5=%.4f, AP=%s}",
                n, meanAveragePrecision(), exactMatchAccuracy(), Arrays.toString(ap));
    }
}
