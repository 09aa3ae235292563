package org.dcsm.examples.run;

import org.dcsm.pipeline.MethodRunner;
import org.dcsm.pipeline.MethodSettings;
import org.dcsm.pipeline.Method;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.core.eval.SegmentationScores;
import org.dcsm.core.pipeline.BatchReport;
import org.dcsm.core.pipeline.BatchRunner;
import org.dcsm.core.pipeline.ProgressListener;
import org.dcsm.core.pipeline.Segmentation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Segments a stream of images with one or more {@link Method}s and scores them against their masks
 * (confusion matrix, per-class IoU, mIoU over the classes present). DCSM with and without the CRF share
 * one run (the pipeline returns both: {@link MethodRunner}). An image that cannot be read, has no mask or fails to segment is
 * reported and skipped. Each image's segmentations can be handed to an {@link OutcomeSink} (pictures,
 * files). Stateless.
 */
public final class Evaluator {

    /** One image's results. */
    public record Outcome(String id, INDArray image, LabelMap truth, Map<Method, Segmentation> segmentations,
                          Map<Method, LabelMap> labels) {
    }

    /** Receives every successful image's outcome (e.g. to write pictures); may throw to fail the image. */
    @FunctionalInterface
    public interface OutcomeSink {
        void accept(Outcome outcome) throws Exception;

        /** This sink, then {@code next} (skipped when this one throws); {@code next} may be null. */
        default OutcomeSink andThen(OutcomeSink next) {
            if (next == null) {
                return this;
            }
            return outcome -> {
                accept(outcome);
                next.accept(outcome);
            };
        }
    }

    /** Scores per method, the batch report, and the mean wall time per image. */
    public record Result(Map<Method, SegmentationScores> scores, BatchReport report, double secondsPerImage) {
        public Result {
            scores = Map.copyOf(scores);
        }
    }

    private Evaluator() {
    }

    /**
     * Evaluates {@code methods} on {@code items}.
     *
     * @param total number of items when known (progress), or -1
     */
    public static Result evaluate(FcnModel model, MethodSettings settings, Set<Method> methods, Iterable<EvalItem> items,
                                  long total, ProgressListener progress, OutcomeSink sink) {
        Objects.requireNonNull(settings, "settings");
        return evaluate(model, settings, settings, methods, items, total, progress, sink);
    }

    /**
     * As {@link #evaluate(FcnModel, MethodSettings, Set, Iterable, long, ProgressListener, OutcomeSink)} with
     * the baseline's own settings (e.g. its own tuned CRF).
     */
    public static Result evaluate(FcnModel model, MethodSettings settings, MethodSettings simonyanSettings,
                                  Set<Method> methods, Iterable<EvalItem> items, long total, ProgressListener progress,
                                  OutcomeSink sink) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(simonyanSettings, "simonyanSettings");
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("At least one method must be evaluated, found none");
        }
        ClassList classes = model.classes();
        MethodRunner runner = MethodRunner.of(model, settings, simonyanSettings, methods);
        Set<Method> wanted = runner.methods();
        Map<Method, ConfusionMatrix> matrices = new EnumMap<>(Method.class);
        for (Method m : wanted) {
            matrices.put(m, ConfusionMatrix.of(classes));
        }
        long start = System.nanoTime();
        BatchReport report = BatchRunner.run(items, total, EvalItem::id, item -> {
            INDArray image = item.image();
            LabelMap truth = item.mask();
            if (truth.width() != image.size(2) || truth.height() != image.size(1)) {
                throw new IllegalArgumentException("mask is " + truth.width() + "x" + truth.height() + " but the image is "
                        + image.size(2) + "x" + image.size(1));
            }
            MethodRunner.Result r = runner.run(image);
            Map<Method, LabelMap> labels = r.labels();
            if (sink != null) {
                sink.accept(new Outcome(item.id(), image, truth, r.segmentations(), labels));
            }
            // scored only after every method and the sink succeeded: all methods see the same images,
            // and an image reported as failed is never in the scores
            for (Method m : wanted) {
                matrices.get(m).add(truth, labels.get(m));
            }
        }, progress);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Method, SegmentationScores> scores = new EnumMap<>(Method.class);
        matrices.forEach((m, cm) -> scores.put(m, cm.scores()));
        return new Result(scores, report, report.attempted() == 0 ? Double.NaN : seconds / report.attempted());
    }
}
