package org.dcsm.backprop.saliency;

/**
 * Where, at a requested layer, the derivative of Eq. 3 is taken.
 */
public enum DerivativePoint {
    /**
     * With respect to the layer's output, i.e. after its activation (post-ReLU) — the paper's
     * {@code ∂S_c/∂L_i} with {@code L_i} the layer's feature map. The default.
     */
    LAYER_OUTPUT,
    /**
     * With respect to the value before the layer's ReLU, i.e. after the ReLU rule has been applied to
     * the gradient. This is what the authors' Caffe code reads: Caffe's ReLU runs in place, so the
     * conv blob's diff after the backward pass is the masked gradient. Identical to
     * {@link #LAYER_OUTPUT} for layers without a ReLU (pooling, the score layer).
     */
    PRE_ACTIVATION
}
