package org.dcsm.examples.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.dcsm.backprop.train.TrainingListener;
import org.dcsm.examples.demo.Demo;
import org.dcsm.pipeline.Method;
import org.dcsm.examples.run.ScoreTable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dcsm demo}: the whole method on the embedded synthetic scenes, offline. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs DCSM end to end offline: generates synthetic multi-label scenes (1-3 objects of distinct "
                + "classes, textured backgrounds, exact masks), trains a small FCN from scratch on image-level labels "
                + "only, segments held-out scenes and prints the mIoU of (a) the Simonyan baseline + CRF, (b) DCSM "
                + "without CRF, (c) DCSM + CRF. With --out, writes pictures and report.html."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--out", paramLabel = "DIR", description = "Write pictures and report.html here.")
    Path out;

    @Option(names = "--train", paramLabel = "N", description = "Training scenes (default ${DEFAULT-VALUE}).")
    int train = Demo.Config.standard().trainCount();

    @Option(names = "--val", paramLabel = "N", description = "Validation scenes (default ${DEFAULT-VALUE}).")
    int val = Demo.Config.standard().valCount();

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (default ${DEFAULT-VALUE}).")
    int epochs = Demo.Config.standard().epochs();

    @Option(names = "--size", paramLabel = "PX", description = "Scene side in pixels (default ${DEFAULT-VALUE}).")
    int size = Demo.Config.standard().imageSize();

    @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed = Demo.Config.standard().seed();

    @Override
    public Integer call() throws Exception {
        Demo.Config std = Demo.Config.standard();
        Demo.Config config = new Demo.Config(size, train, val, epochs, seed, std.gallery(), common.threads(), std.widths(),
                std.learningRate());
        var o = spec.commandLine().getOut();
        o.printf("dcsm demo: %d training and %d validation scenes of %dx%d, %d epochs%n", train, val, size, size, epochs);
        o.flush();
        Demo.Result r;
        try (ConsoleProgress tp = common.progress("train"); ConsoleProgress sp = common.progress("segment")) {
            int steps = (train + 7) / 8 * epochs;
            tp.started(steps);
            r = new Demo(config).run(out, new TrainingListener() {
                @Override
                public void iterationDone(int epoch, long iteration, double loss) {
                    tp.step();
                }
            }, sp);
        }
        o.printf(Locale.ROOT, "Trained in %.0f s (validation mAP %.3f); segmentation %.2f s per image%n",
                r.trainSeconds(), r.validationMap(), r.segmentSecondsPerImage());
        o.println();
        o.print(ScoreTable.text(r.classes(), r.scores()));
        o.println();
        o.printf(Locale.ROOT, "DCSM + CRF vs Simonyan + CRF: %+.1f mIoU points; CRF on DCSM: %+.1f points%n",
                r.miou(Method.DCSM) - r.miou(Method.SIMONYAN), r.miou(Method.DCSM) - r.miou(Method.DCSM_NOCRF));
        if (r.reportFile() != null) {
            o.println("Report: " + r.reportFile().toAbsolutePath());
        }
        return Reports.exitCode(o, r.report());
    }
}
