package org.dcsm.core.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.core.eval.SegmentationScores;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Grid search of the refiner's parameters on a validation split, as the paper chose the CRF's
 * {@code w}, {@code theta_alpha}, {@code theta_beta}, {@code theta_gamma} (§4.2): every parameter set
 * of the grid refines the same cached Eq. 7 maps of every sample, and is scored by the mIoU
 * ({@link ConfusionMatrix}, void ignored, {@link SegmentationScores.MeanRule#PRESENT_CLASSES}) against the
 * ground truth. The network and the maps are computed once per sample, not once per grid point.
 *
 * <p>Tuning reads the pixel labels of the split it tunes on; honest figures tune on one split and
 * evaluate on another. Engine-neutral: the parameter type {@code P} and how it becomes a {@link Refiner}
 * are the caller's. Immutable.
 *
 * @param <P> the parameter set type (e.g. a CRF configuration)
 */
public final class CrfGridSearch<P> {

    /**
     * One validation image with its Eq. 7 maps ({@link Segmentation#beforeRefinement()}) and ground truth.
     */
    public record Sample(String id, INDArray image, ClassMaps probabilities, LabelMap groundTruth) {
        public Sample {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(probabilities, "probabilities");
            Objects.requireNonNull(groundTruth, "groundTruth");
            ClassMaps.Entry e = probabilities.entries().get(0);
            if (e.width() != groundTruth.width() || e.height() != groundTruth.height()) {
                throw new IllegalArgumentException("Sample '" + id + "': maps are " + e.width() + "x" + e.height()
                        + " but the ground truth is " + groundTruth.width() + "x" + groundTruth.height());
            }
        }
    }

    /** One grid point's result. */
    public record Score<P>(P params, SegmentationScores scores) {
        /** The mIoU, a fraction in [0, 1]. */
        public double meanIou() {
            return scores.meanIou();
        }
    }

    private final ClassList classes;
    private final Function<? super P, ? extends Refiner> refinerFor;
    private final List<P> grid;

    private CrfGridSearch(ClassList classes, Function<? super P, ? extends Refiner> refinerFor, List<P> grid) {
        this.classes = classes;
        this.refinerFor = refinerFor;
        this.grid = grid;
    }

    /**
     * A search over {@code grid}.
     *
     * @param classes    the class list of the ground truth
     * @param refinerFor builds the refiner of a parameter set
     * @param grid       the parameter sets, at least one
     * @throws IllegalArgumentException when the grid is empty
     */
    public static <P> CrfGridSearch<P> of(ClassList classes, Function<? super P, ? extends Refiner> refinerFor, List<P> grid) {
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(refinerFor, "refinerFor");
        Objects.requireNonNull(grid, "grid");
        if (grid.isEmpty()) {
            throw new IllegalArgumentException("The grid must hold at least one parameter set, found none");
        }
        return new CrfGridSearch<>(classes, refinerFor, List.copyOf(grid));
    }

    /** The parameter sets (unmodifiable). */
    public List<P> grid() {
        return grid;
    }

    /**
     * Scores every grid point on {@code samples}.
     *
     * @param listener told about each grid point (id = its {@code toString()})
     * @return the scores, best mIoU first (ties keep the grid order)
     * @throws IllegalArgumentException when there are no samples
     */
    public List<Score<P>> search(List<Sample> samples, ProgressListener listener) {
        Objects.requireNonNull(samples, "samples");
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("The grid search needs at least one validation sample, found none");
        }
        List<Score<P>> scores = new ArrayList<>();
        listener.started(grid.size());
        for (P params : grid) {
            Refiner refiner = refinerFor.apply(params);
            ConfusionMatrix cm = ConfusionMatrix.of(classes);
            for (Sample s : samples) {
                cm.add(s.groundTruth(), refiner.refine(s.image(), s.probabilities()).labels());
            }
            scores.add(new Score<>(params, cm.scores()));
            listener.succeeded(String.valueOf(params));
        }
        listener.finished(new BatchReport(grid.size(), List.of()));
        List<Score<P>> ranked = new ArrayList<>(scores);
        ranked.sort(Comparator.comparingDouble((Score<P> s) -> Double.isNaN(s.meanIou()) ? -1 : s.meanIou()).reversed());
        return List.copyOf(ranked);
    }
}
