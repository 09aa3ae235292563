package org.dcsm.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the dcsm command line in-process, capturing its output. */
record CliRunner(int exitCode, String out, String err) {

    static CliRunner run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DcsmCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRunner(code, out.toString(), err.toString());
    }
}
