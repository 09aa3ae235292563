/**
 * Running the compared methods on datasets with the pipelines of dcsm-pipeline's
 * {@link org.dcsm.pipeline.DcsmPipelines}: evaluation with per-image failures
 * ({@link org.dcsm.examples.run.Evaluator}), the tuning of Eq. 5's alpha and the CRF parameters
 * (dcsm-pipeline's {@link org.dcsm.pipeline.CrfTuning}, stored as {@link org.dcsm.pipeline.MethodPreset}s), an image's estimated
 * memory checked before it is decoded ({@link org.dcsm.pipeline.ItemCost}), and training data loading.
 */
package org.dcsm.examples.run;
