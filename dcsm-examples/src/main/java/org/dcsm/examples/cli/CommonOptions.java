package org.dcsm.examples.cli;

import picocli.CommandLine.Option;

/** Options every long-running command shares. */
final class CommonOptions {

    @Option(names = "--no-progress", description = "Do not draw progress bars (on standard error).")
    boolean noProgress;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Threads for the CRF and the map arithmetic (default ${DEFAULT-VALUE}).")
    int threads;

    ConsoleProgress progress(String task) {
        return new ConsoleProgress(task, !noProgress);
    }

    int threads() {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, found " + threads);
        }
        return threads;
    }
}
