/**
 * Segmentation evaluation as in PASCAL VOC: a {@link org.dcsm.core.eval.ConfusionMatrix} accumulated
 * over images (void pixels of the ground truth ignored, mergeable for parallel evaluation) and the
 * scores computed from it ({@link org.dcsm.core.eval.SegmentationScores}: per-class IoU, mIoU — the
 * paper's Table 1 measure —, pixel accuracy, mean class accuracy) as a printable table, CSV and JSON.
 */
package org.dcsm.core.eval;
