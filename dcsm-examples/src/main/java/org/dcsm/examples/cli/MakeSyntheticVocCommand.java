package org.dcsm.examples.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.dcsm.core.pipeline.BatchReport;
import org.dcsm.core.pipeline.BatchRunner;
import org.dcsm.core.voc.VocDatasetWriter;
import org.dcsm.examples.data.Scene;
import org.dcsm.examples.data.SyntheticScenes;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dcsm make-synthetic-voc}: writes the embedded synthetic scenes in the VOC layout. */
@Command(name = "make-synthetic-voc", mixinStandardHelpOptions = true,
        description = "Writes the demo's synthetic multi-label scenes (1-3 objects of distinct classes, textured "
                + "backgrounds, exact masks) as a PASCAL VOC-layout folder with train and val splits, for dcsm train, "
                + "evaluate and tune-crf.")
final class MakeSyntheticVocCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (absent or empty).")
    Path out;

    @Option(names = "--train", paramLabel = "N", defaultValue = "480", description = "Train scenes (default ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--val", paramLabel = "N", defaultValue = "100", description = "Val scenes (default ${DEFAULT-VALUE}).")
    int val;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "64", description = "Scene side in pixels (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        SyntheticScenes gen = OptionCheck.value(spec.commandLine(), () -> {
            if (train < 0 || val < 0) {
                throw new IllegalArgumentException("--train and --val must be >= 0, found " + train + " and " + val);
            }
            return SyntheticScenes.builder().seed(seed).size(size).objectSize(size * 2 / 5, size * 3 / 5).build();
        });
        BatchReport t;
        BatchReport v;
        try (VocDatasetWriter w = VocDatasetWriter.create(out, gen.classes());
             ConsoleProgress tp = common.progress("train"); ConsoleProgress vp = common.progress("val")) {
            t = BatchRunner.run(() -> gen.stream(0, train).iterator(), train, Scene::id,
                    s -> w.add("train", s.id(), s.image(), s.mask()), tp);
            v = BatchRunner.run(() -> gen.stream(train, val).iterator(), val, Scene::id,
                    s -> w.add("val", s.id(), s.image(), s.mask()), vp);
        }
        var o = spec.commandLine().getOut();
        o.printf("Wrote %d train and %d val scenes to %s%n", t.succeeded(), v.succeeded(), out.toAbsolutePath());
        return Reports.exitCode(o, t, v);
    }
}
