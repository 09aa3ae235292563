package org.dcsm.backprop.saliency;

/**
 * Where, at a requested layer, the derivative of Eq. 3 is taken. The default is
 * {@link SaliencyExtractor#DEFAULT_POINT} = {@link #PRE_ACTIVATION}.
 *
 * <p><b>Why before the ReLU.</b> The paper writes {@code ∂S_c/∂L_i} with {@code L_i} a layer's feature map,
 * which reads as the layer's output; the authors' Caffe code reads the conv blob's diff, which, Caffe's ReLU
 * running in place, is the gradient after the ReLU's mask, i.e. at the layer's input to the ReLU. The two
 * differ wherever a unit is inactive: the output gradient is non-zero there (the next layer's weights carry it
 * back), the pre-activation gradient is zero. Reading before the ReLU therefore counts only units the image
 * switched on. Measured: an independent check of issue 11 (same
 * network, same images, exact CRF) found 54.3 mIoU before the ReLU against 41.5 after it; docs/RESULTS.md
 * ("Derivative point") measures both on this project's synthetic demo set. {@code dcsm evaluate} and
 * {@code dcsm tune-crf} take {@code --derivative-point} to report either.
 */
public enum DerivativePoint {
    /**
     * With respect to the layer's output, i.e. after its activation (post-ReLU) — the paper's
     * {@code ∂S_c/∂L_i} read literally. The default before issue 11.
     */
    LAYER_OUTPUT,
    /**
     * With respect to the value before the layer's ReLU, i.e. after the ReLU rule has been applied to
     * the gradient. This is what the authors' Caffe code reads: Caffe's ReLU runs in place, so the
     * conv blob's diff after the backward pass is the masked gradient. Identical to
     * {@link #LAYER_OUTPUT} for layers without a ReLU (pooling, the score layer). The default.
     */
    PRE_ACTIVATION
}
