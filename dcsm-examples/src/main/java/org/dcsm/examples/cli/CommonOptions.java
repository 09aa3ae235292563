package org.dcsm.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every long-running command shares. */
final class CommonOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--no-progress", description = "Do not draw progress bars (on standard error).")
    boolean noProgress;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Threads for the CRF and the map arithmetic (default ${DEFAULT-VALUE}).")
    int threads;

    ConsoleProgress progress(String task) {
        return new ConsoleProgress(task, !noProgress);
    }

    int threads() {
        int max = 4 * Runtime.getRuntime().availableProcessors();
        if (threads < 1 || threads > max) {
            String msg = "--threads must be between 1 and " + max + " (4 x the "
                    + Runtime.getRuntime().availableProcessors() + " cores), found " + threads;
            throw mixee == null ? new IllegalArgumentException(msg)
                    : new CommandLine.ParameterException(mixee.commandLine(), msg);
        }
        return threads;
    }
}
