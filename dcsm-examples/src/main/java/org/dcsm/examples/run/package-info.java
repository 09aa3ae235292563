/**
 * Running the compared methods on datasets: method settings and pipelines built from a trained model
 * ({@link org.dcsm.examples.run.Methods}: DCSM and the Simonyan baseline on dcsm-core's
 * {@link org.dcsm.core.pipeline.DcsmPipeline}), evaluation with per-image failures
 * ({@link org.dcsm.examples.run.Evaluator}), CRF parameters and their tuning
 * ({@link org.dcsm.examples.run.CrfSettings}, {@link org.dcsm.examples.run.CrfTuning}), an image's estimated
 * memory checked before it is decoded ({@link org.dcsm.examples.run.ItemCost}), and training data loading.
 */
package org.dcsm.examples.run;
