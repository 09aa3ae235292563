/**
 * JMH benchmarks (run from the shaded {@code dcsm-bench/target/benchmarks.jar}) and small measurement
 * programs: the dense CRF ({@link org.dcsm.bench.DenseCrfBenchmark}, {@link org.dcsm.bench.ExactVsLatticeBenchmark},
 * {@link org.dcsm.bench.CrfMemory}, {@link org.dcsm.bench.CrfTiming}) on seeded scenes from
 * {@link org.dcsm.bench.CrfScenes}. See docs/PERFORMANCE.md for the commands and the figures.
 */
package org.dcsm.bench;
