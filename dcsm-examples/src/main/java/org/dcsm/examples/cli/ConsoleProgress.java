package org.dcsm.examples.cli;

import java.io.PrintStream;

import org.dcsm.core.pipeline.BatchReport;
import org.dcsm.core.pipeline.ProgressListener;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A {@link ProgressListener} drawing a terminal progress bar (me.tongfei:progressbar) on standard
 * error, so that tables on standard output stay clean; or nothing when disabled. One per run.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {

    private final String task;
    private final boolean enabled;
    private final PrintStream stream;
    private ProgressBar bar;
    private int failed;

    ConsoleProgress(String task, boolean enabled) {
        this(task, enabled, System.err);
    }

    ConsoleProgress(String task, boolean enabled, PrintStream stream) {
        this.task = task;
        this.enabled = enabled;
        this.stream = stream;
    }

    @Override
    public void started(long total) {
        if (enabled) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(stream)).setUpdateIntervalMillis(500).build();
        }
    }

    @Override
    public void succeeded(String id) {
        step();
    }

    @Override
    public void failed(String id, Exception error) {
        failed++;
        if (bar != null) {
            bar.setExtraMessage(failed + " failed");
        }
        step();
    }

    /** Shows {@code message} after the bar (e.g. a rate and a loss), replacing the previous one. */
    void extra(String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    /** Advances by one (for loops that are not {@link org.dcsm.core.pipeline.BatchRunner} runs). */
    void step() {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public void finished(BatchReport report) {
        close();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
