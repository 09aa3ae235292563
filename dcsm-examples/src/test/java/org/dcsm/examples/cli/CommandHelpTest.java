package org.dcsm.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import org.deeplearning4j.util.CrashReportingUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine;
import picocli.CommandLine.Command;

class CommandHelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"demo", "train", "evaluate", "segment", "tune-crf", "make-fashion-voc", "make-synthetic-voc"})
    void everyCommandHasHelp(String command) {
        CliRunner r = CliRunner.run(command, "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("Usage: dcsm " + command).contains("-h, --help");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void topLevelHelpListsCommandsAndExitCodes() {
        CliRunner r = CliRunner.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("demo", "train", "evaluate", "segment", "tune-crf", "make-fashion-voc",
                "Exit codes:", "3   finished, but some images failed");
    }

    @Test
    void missingOrUnknownCommandIsAUsageError() {
        CliRunner none = CliRunner.run();
        assertThat(none.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(none.err()).contains("Missing command");
        CliRunner unknown = CliRunner.run("segmnt");
        assertThat(unknown.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(unknown.err()).contains("Unmatched argument").contains("segmnt");
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        CliRunner r = CliRunner.run("evaluate", "--voc", "x");
        assertThat(r.exitCode()).isEqualTo(DcsmCommand.USAGE);
        assertThat(r.err()).contains("Missing required option: '--model=MODEL_DIR'");
    }

    /** A command that fails with the given error, as a huge image or a deep input did. */
    @Command(name = "fail")
    record Failing(Error error) implements Callable<Integer> {
        @Override
        public Integer call() {
            throw error;
        }
    }

    @Test
    void outOfMemoryAndStackOverflowAreOneErrorLineAndCrashDumpsAreOff() {
        CrashReportingUtil.crashDumpsEnabled(true);
        for (Error e : new Error[] {new OutOfMemoryError("Java heap space"), new StackOverflowError()}) {
            StringWriter err = new StringWriter();
            CommandLine cl = new CommandLine(new Failing(e));
            cl.setErr(new PrintWriter(err, true));
            int code = DcsmCommand.executeGuarded(cl);
            assertThat(code).isEqualTo(DcsmCommand.ERROR);
            assertThat(err.toString().lines().toList()).as(err.toString()).hasSize(1);
            assertThat(err.toString()).startsWith("dcsm: error: ").doesNotContain("\tat ");
        }
        assertThat(CrashReportingUtil.isCrashDumpsEnabled()).isFalse();
    }
}
