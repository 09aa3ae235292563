/**
 * The paper's pipeline from a trained model in one call, for library users, the {@code dcsm} command line and the
 * demo alike: {@link org.dcsm.pipeline.DcsmPipelines} ({@code paper(model)}, {@code from(model, settings)}, the
 * Simonyan baseline) builds dcsm-core's {@link org.dcsm.core.pipeline.DcsmPipeline} from dcsm-backprop's saliency
 * (Eq. 3), dcsm-core's Eq. 4, 5 and 7 and dcsm-crf's dense CRF (Eq. 6, 8). {@link org.dcsm.pipeline.MethodSettings}
 * holds every setting of the compared methods (the ablation switches of the paper's Tables 2-5) and validates it
 * once; {@link org.dcsm.pipeline.MethodPreset} is what {@code dcsm tune-crf} stores per
 * {@link org.dcsm.pipeline.Method} in a model folder (Eq. 5's alpha and {@link org.dcsm.crf.CrfSettings}).
 * {@link org.dcsm.pipeline.CrfTuning} is that search (moved here from dcsm-examples so that dcsm-spark can spread it:
 * a per-image {@link org.dcsm.pipeline.CrfTuning.Sampler}, a per-(image, θ-group) {@code score}).
 * {@link org.dcsm.pipeline.ItemCost} estimates an image's memory from its header, before it is decoded. The settings
 * are {@link java.io.Serializable} (records: a copy is rebuilt through the validating constructor) so that
 * dcsm-spark can ship them to executors.
 */
package org.dcsm.pipeline;
