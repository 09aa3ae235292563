package org.dcsm.examples.run;

import java.util.Objects;
import java.util.Optional;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.train.LabeledImage;
import org.dcsm.backprop.train.MultiLabelEvaluation;

/**
 * Scores the network as a multi-label classifier on the images an {@link Evaluator} segments, as they
 * stream past: one forward pass per image at its own size, on the image already decoded for
 * segmentation, so the classification and the segmentation scores cover the same images. An image's
 * labels are the classes present in its ground-truth mask (background and void excluded); an image
 * without any is skipped and counted, as in training. Not thread-safe; use one per evaluation.
 */
public final class ClassificationSink implements Evaluator.OutcomeSink {

    private final FcnModel model;
    private final MultiLabelEvaluation.Tally tally;
    private int withoutLabels;

    /** A sink that scores with {@code model}. */
    public ClassificationSink(FcnModel model) {
        this.model = Objects.requireNonNull(model, "model");
        this.tally = new MultiLabelEvaluation.Tally(model.numClasses());
    }

    @Override
    public void accept(Evaluator.Outcome outcome) {
        int[] labels = outcome.truth().foregroundIds();
        if (labels.length == 0) {
            withoutLabels++;
            return;
        }
        tally.add(labels, MultiLabelEvaluation.scoreImage(model, LabeledImage.fromRgb(outcome.image(), labels)));
    }

    /** Number of images skipped because their mask holds no foreground class. */
    public int imagesWithoutLabels() {
        return withoutLabels;
    }

    /** The evaluation of the images scored so far; empty when there is none. */
    public Optional<MultiLabelEvaluation> evaluation() {
        return tally.imageCount() == 0 ? Optional.empty() : Optional.of(tally.evaluation());
    }
}
