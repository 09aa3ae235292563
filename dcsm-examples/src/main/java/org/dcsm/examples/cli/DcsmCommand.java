package org.dcsm.examples.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dcsm} command line: weakly supervised semantic segmentation after Shimoda and Yanai
 * (ECCV 2016). Subcommands: {@code demo}, {@code train}, {@code evaluate}, {@code segment},
 * {@code tune-crf}, {@code make-fashion-voc}, {@code make-synthetic-voc}; {@code --help} on each.
 *
 * <p>Exit codes: {@value #OK} success; {@value #ERROR} error (the message says what was wrong);
 * {@value #USAGE} bad command line; {@value #PARTIAL} a batch finished but some images failed (they are
 * listed at the end of the output and the others were written).
 */
@Command(name = "dcsm", mixinStandardHelpOptions = true, versionProvider = DcsmCommand.Version.class,
        description = "Weakly supervised semantic segmentation from image-level labels "
                + "(distinct class-specific saliency maps + dense CRF, Shimoda & Yanai, ECCV 2016).",
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, SegmentCommand.class,
                TuneCrfCommand.class, MakeFashionVocCommand.class, MakeSyntheticVocCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:error (the message says what was wrong)", "2:bad command line",
                "3:finished, but some images failed (listed at the end)"})
public final class DcsmCommand implements Runnable {

    /** Success. */
    public static final int OK = 0;
    /** An error stopped the command. */
    public static final int ERROR = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** A batch finished but some items failed. */
    public static final int PARTIAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: choose one of "
                + spec.subcommands().keySet());
    }

    /** Builds the command line with dcsm's exit codes and error printing. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DcsmCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("dcsm " + commandLine.getCommandName() + ": error: " + describe(ex));
            org.slf4j.LoggerFactory.getLogger(DcsmCommand.class).debug("Stack trace", ex);
            return ERROR;
        });
        return cl;
    }

    static String describe(Throwable ex) {
        String msg = ex.getMessage();
        return msg == null || msg.isBlank() ? ex.getClass().getSimpleName() : msg;
    }

    /**
     * Runs the command line with the given writers (for embedding and tests) and returns the exit code.
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    public static void main(String[] args) {
        NativeBackend.preferOneDnn();
        System.exit(commandLine().execute(args));
    }

    /** Version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DcsmCommand.class.getPackage().getImplementationVersion();
            return new String[] {"dcsm " + (v == null ? "development build" : v)};
        }
    }
}
