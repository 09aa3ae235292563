package org.dcsm.examples.cli;

import java.io.PrintWriter;

import org.dcsm.core.UntrustedText;
import org.deeplearning4j.util.CrashReportingUtil;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dcsm} command line: weakly supervised semantic segmentation after Shimoda and Yanai
 * (ECCV 2016). Subcommands: {@code demo}, {@code train}, {@code evaluate}, {@code segment},
 * {@code tune-crf}, {@code make-fashion-voc}, {@code make-synthetic-voc}, and on Apache Spark (with spark-submit)
 * {@code spark-segment}, {@code spark-evaluate} and {@code spark-tune-crf}; {@code --help} on each.
 *
 * <p>Exit codes: {@value #OK} success; {@value #ERROR} error (the message says what was wrong);
 * {@value #USAGE} bad command line; {@value #PARTIAL} a batch finished but some images failed (they are
 * listed at the end of the output and the others were written).
 */
@Command(name = "dcsm", mixinStandardHelpOptions = true, versionProvider = DcsmCommand.Version.class,
        description = "Weakly supervised semantic segmentation from image-level labels "
                + "(distinct class-specific saliency maps + dense CRF, Shimoda & Yanai, ECCV 2016).",
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, SegmentCommand.class,
                TuneCrfCommand.class, MakeFashionVocCommand.class, MakeSyntheticVocCommand.class,
                SparkSegmentCommand.class, SparkEvaluateCommand.class, SparkTuneCrfCommand.class},
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

    /** The exception's message, escaped and cut (it may quote file contents), or its type when it has none. */
    static String describe(Throwable ex) {
        String msg = ex.getMessage();
        return msg == null || msg.isBlank() ? ex.getClass().getSimpleName()
                : UntrustedText.printable(msg, MAX_MESSAGE);
    }

    /** Longest error message printed, in characters. */
    static final int MAX_MESSAGE = 2000;

    /**
     * Runs the command line with the given writers (for embedding and tests) and returns the exit code.
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int code = executeGuarded(cl, args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Runs {@code cl}; an {@link Error} that escapes the command (out of memory, stack overflow) is printed as
     * one {@code dcsm <cmd>: error:} line with what to do, never as a stack trace (which {@code --verbose}
     * logging still records at debug level). DL4J's crash-dump files are switched off: they would be written
     * into the current folder.
     */
    static int executeGuarded(CommandLine cl, String... args) {
        CrashReportingUtil.crashDumpsEnabled(false);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            cl.getErr().println("dcsm: error: out of memory (" + describe(e) + "): use smaller images or fewer "
                    + "scales, or give Java more memory (DCSM_JAVA_OPTS=\"-Xmx8g "
                    + "-Dorg.bytedeco.javacpp.maxphysicalbytes=16G\")");
            org.slf4j.LoggerFactory.getLogger(DcsmCommand.class).debug("Stack trace", e);
            return ERROR;
        } catch (StackOverflowError e) {
            cl.getErr().println("dcsm: error: stack overflow (a deeply nested input?)");
            org.slf4j.LoggerFactory.getLogger(DcsmCommand.class).debug("Stack trace", e);
            return ERROR;
        }
    }

    public static void main(String[] args) {
        NativeBackend.preferOneDnn();
        System.exit(executeGuarded(commandLine(), args));
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
