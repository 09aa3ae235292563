package org.dcsm.examples.run;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.train.LabeledImage;
import org.dcsm.backprop.train.MultiLabelEvaluation;
import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;

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
        int[] labels = labelsOf(outcome.truth());
        if (labels.length == 0) {
            withoutLabels++;
            return;
        }
        tally.add(labels, MultiLabelEvaluation.scoreImage(model, LabeledImage.fromRgb(outcome.image(), labels)));
    }

    /** The classes present in a mask: its ids other than background and void, ascending. */
    static int[] labelsOf(LabelMap truth) {
        return Arrays.stream(truth.distinctIds())
                .filter(id -> id != ClassList.BACKGROUND && id != LabelMap.VOID)
                .sorted()
                .toArray();
    }

    /** Number of images scored so far. */
    public int imageCount() {
        return tally.imageCount();
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
