/**
 * The adapter that plugs dcsm-backprop's {@link org.dcsm.backprop.saliency.SaliencyExtractor} into
 * dcsm-core's engine-neutral {@link org.dcsm.core.pipeline.DcsmPipeline} as its class-map source.
 */
package org.dcsm.backprop.pipeline;
