/**
 * The adapter that plugs dcsm-backprop's {@link org.dcsm.backprop.saliency.SaliencyExtractor} into
 * dcsm-core's engine-neutral {@link org.dcsm.core.pipeline.DcsmPipeline} as its class-map source, and the
 * {@link org.dcsm.backprop.pipeline.MemoryBudget} a batch checks each item's estimated cost against (the
 * heap and JavaCPP's limits of the process).
 */
package org.dcsm.backprop.pipeline;
