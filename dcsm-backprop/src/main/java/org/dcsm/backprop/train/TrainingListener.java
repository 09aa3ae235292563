package org.dcsm.backprop.train;

import java.nio.file.Path;

/**
 * Receives progress from {@link MultiLabelTrainer}. All methods have empty defaults; they are called on the
 * training thread, so keep them quick.
 */
public interface TrainingListener {

    /**
     * An epoch begins.
     *
     * @param epoch            0-based epoch
     * @param maxPoolingWeight weight p of max pooling in the global pooling {@code p·max + (1 − p)·mean}
     * @param headOnly         whether only the layers above pool5 (fc6 and up) are being trained
     */
    default void epochStarted(int epoch, double maxPoolingWeight, boolean headOnly) {
    }

    /**
     * A mini-batch step finished.
     *
     * @param epoch     0-based epoch
     * @param iteration 0-based iteration over the whole run
     * @param loss      the batch's sigmoid cross-entropy (mean over images, summed over classes)
     */
    default void iterationDone(int epoch, long iteration, double loss) {
    }

    /** An epoch finished; {@code summary} holds its mean loss and, when validation data was given, its evaluation. */
    default void epochDone(EpochSummary summary) {
    }

    /** A checkpoint model directory was written. */
    default void checkpointSaved(int epoch, Path dir) {
    }
}
