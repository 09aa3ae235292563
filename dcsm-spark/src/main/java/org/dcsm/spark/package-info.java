/**
 * dcsm on Apache Spark 3.5 (Scala 2.12; Spark is {@code provided}: the cluster brings it). {@link org.dcsm.spark.DcsmSpark}
 * segments images on any Hadoop file system into palette PNGs and a Parquet table of one row per image (failures are
 * rows; a re-run resumes), and evaluates a split by summing per-partition confusion matrices, which equals the
 * single-machine {@code dcsm evaluate}, and tunes Eq. 5's alpha and the dense CRF ({@code tuneCrf}) in two stages:
 * images spread over executors into per-alpha unaries ({@link org.dcsm.pipeline.CrfTuning.Sample}), then the
 * samples paired with the grid's θ-groups so that each task runs one group's points; the summed counts equal the
 * single-machine {@code dcsm tune-crf}'s. The model travels as {@link org.dcsm.spark.ModelBundle} (the model folder's
 * files, loaded on each executor by the untrusted-input loader), the settings as
 * {@link org.dcsm.spark.SegmentSettings}; inputs are {@link org.dcsm.spark.ImageRef}s. The executors' side
 * ({@code ExecutorPipelines}, {@code SegmentPartition}, {@code EvaluatePartition}, {@code TuneSamplePartition},
 * {@code TuneGroupPartition}, {@code MatrixSums}, {@code HadoopFiles}) is
 * package-private.
 */
package org.dcsm.spark;
