/**
 * The adapter that plugs dcsm-crf's {@link org.dcsm.crf.DenseCrf} into dcsm-core's engine-neutral
 * {@link org.dcsm.core.pipeline.DcsmPipeline} as its refiner.
 */
package org.dcsm.crf.pipeline;
