/**
 * The engine-neutral DCSM pipeline: the interfaces its replaceable steps implement
 * ({@link org.dcsm.core.pipeline.ClassMapSource} for steps 1–3, {@link org.dcsm.core.pipeline.MapTransform}
 * for Eq. 4, {@link org.dcsm.core.pipeline.MapFusion} for Eq. 5, {@link org.dcsm.core.pipeline.CandidateMapRule}
 * for Eq. 7 (and remedies beyond the paper), {@link org.dcsm.core.pipeline.Refiner} for
 * the CRF of Eq. 6–8), {@link org.dcsm.core.pipeline.DcsmPipeline} assembling them, batch runs over datasets
 * with progress and per-item failures ({@link org.dcsm.core.pipeline.BatchRunner}), and the CRF parameter
 * grid search on a validation split ({@link org.dcsm.core.pipeline.CrfGridSearch}). Engines (DL4J backprop,
 * the dense CRF) plug in through small adapters in their own modules.
 */
package org.dcsm.core.pipeline;
