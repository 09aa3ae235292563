package org.dcsm.backprop.train;

/**
 * What one training epoch achieved.
 *
 * @param epoch            0-based epoch
 * @param iterations       mini-batch steps in this epoch
 * @param meanLoss         mean training loss over the epoch's batches (with the epoch's pooling mix)
 * @param maxPoolingWeight weight p of max pooling used in this epoch
 * @param seconds          wall time of the epoch, without validation
 * @param validation       evaluation of the inference network (global max pooling) on the validation data,
 *                         or {@code null} when none was given
 */
public record EpochSummary(int epoch, int iterations, double meanLoss, double maxPoolingWeight, double seconds,
        MultiLabelEvaluation validation) {
}
