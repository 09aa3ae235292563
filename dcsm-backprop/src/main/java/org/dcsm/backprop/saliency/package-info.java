/**
 * Class saliency maps by back-propagation to intermediate layers (Shimoda and Yanai, ECCV 2016,
 * §3.3, Eq. 3) and Simonyan et al.'s input-gradient baseline: {@link org.dcsm.backprop.saliency.SaliencyExtractor}
 * (fluent, immutable) and its {@link org.dcsm.backprop.saliency.SaliencyResult}. The package-private
 * {@code FcnWalk} and {@code NdOps} hold the shared forward pass and the batched, activation-only
 * backward walk built on libnd4j operations; {@code SaliencyMemory} estimates an extraction's memory from the
 * layers ({@link org.dcsm.backprop.saliency.SaliencyExtractor#estimateBytes}).
 */
package org.dcsm.backprop.saliency;
