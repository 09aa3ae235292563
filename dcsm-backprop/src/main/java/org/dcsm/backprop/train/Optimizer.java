package org.dcsm.backprop.train;

import java.util.Locale;

/**
 * The update rule of {@link MultiLabelTrainer}, with the form of weight decay that belongs to it.
 */
public enum Optimizer {

    /**
     * SGD with classical momentum as in Caffe, which the paper trained with ({@link ClassicalMomentum}); weight
     * decay is L2 added to the weight gradients before the update.
     */
    SGD,

    /**
     * Adam with decoupled weight decay (Loshchilov &amp; Hutter's AdamW, PyTorch's {@code torch.optim.AdamW}):
     * β1 = the trainer's momentum, β2 = 0.999, ε = 1e-8; the weights shrink by {@code η·λ·w} after the Adam
     * step, biases are not decayed.
     */
    ADAMW;

    /** The name used on command lines and in checkpoints: {@code sgd} or {@code adamw}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@link #id()} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the known ones
     */
    public static Optimizer of(String id) {
        for (Optimizer o : values()) {
            if (o.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
                return o;
            }
        }
        throw new IllegalArgumentException("Unknown optimizer '" + id + "'; known: sgd, adamw");
    }
}
