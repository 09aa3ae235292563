/**
 * The {@code dcsm} command line (picocli): {@link org.dcsm.examples.cli.DcsmCommand} and its subcommands
 * {@code demo}, {@code train}, {@code evaluate}, {@code segment}, {@code tune-crf}, {@code make-fashion-voc},
 * {@code make-synthetic-voc}, and {@code spark-segment} / {@code spark-evaluate} / {@code spark-tune-crf} for
 * spark-submit (dcsm-spark; Spark's types are named only in {@code SparkJobs}, which is loaded after a check that Spark is on the class path).
 * Commands parse options and print; the work is done by {@code org.dcsm.examples.run},
 * {@code org.dcsm.examples.demo} and the library. Progress bars go to standard error, tables to standard output.
 */
package org.dcsm.examples.cli;
