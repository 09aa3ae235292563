/**
 * Training from image-level labels and multi-label evaluation (paper §3.2 and §4.1).
 *
 * <ul>
 *   <li>{@link org.dcsm.backprop.train.LabeledImage}: a preprocessed image and its class ids.</li>
 *   <li>{@link org.dcsm.backprop.train.MultiLabelTrainer}: mini-batch SGD with random rescaling, zero
 *       padding, mixed global max/average pooling and sigmoid cross-entropy; the paper's fine-tuning preset
 *       and a from-scratch preset; listeners ({@link org.dcsm.backprop.train.TrainingListener}) and
 *       checkpoints; {@link org.dcsm.backprop.train.MultiLabelTrainer.Session} for one step at a time.</li>
 *   <li>{@link org.dcsm.backprop.train.MultiLabelEvaluation}: per-class average precision, mAP and
 *       exact-match accuracy.</li>
 * </ul>
 * Package-private helpers: {@code MixedGlobalPoolingLoss} (the pooled loss and its gradient on flat arrays),
 * {@code BatchAssembler} (rescale, pad, labels) and {@code TrainingWalk} (the forward and backward pass of a
 * training network on libnd4j's ops, writing into DL4J's gradient view).
 */
package org.dcsm.backprop.train;
