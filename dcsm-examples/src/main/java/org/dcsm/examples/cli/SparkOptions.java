package org.dcsm.examples.cli;

import picocli.CommandLine.Option;

/** What the Spark commands share: the input's partitions and the master when not run by spark-submit. */
final class SparkOptions {

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Partitions of the input (default: Spark's default parallelism).")
    int partitions;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master when not run by spark-submit (e.g. local[2]); spark-submit's --master wins.")
    String master;
}
