package org.dcsm.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.dcsm.core.UntrustedText;
import org.dcsm.examples.data.FashionComposer;
import org.dcsm.examples.data.FashionMnist;
import org.dcsm.examples.fashion.FashionVocExport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dcsm make-fashion-voc}: writes Fashion-MNIST composites in the VOC layout. */
@Command(name = "make-fashion-voc", mixinStandardHelpOptions = true,
        description = {"Composes multi-item scenes of Fashion-MNIST photographs (1-3 items of distinct classes, "
                + "tinted on textured backgrounds or grey on black, exact masks) and writes them as a PASCAL "
                + "VOC-layout folder with train and val splits (train from Fashion-MNIST's training images, val from its test images).",
                "Needs the Debian package dataset-fashion-mnist (or --fashion-dir)."})
final class MakeFashionVocCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (absent or empty).")
    Path out;

    @Option(names = "--fashion-dir", paramLabel = "DIR", description = "Folder of the IDX files (default ${DEFAULT-VALUE}).")
    Path fashionDir = FashionMnist.DEFAULT_DIR;

    @Option(names = "--train", paramLabel = "N", defaultValue = "2000", description = "Train scenes (default ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--val", paramLabel = "N", defaultValue = "300", description = "Val scenes (default ${DEFAULT-VALUE}).")
    int val;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "96", description = "Scene side in pixels (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "7", description = "Composition seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--style", paramLabel = "tinted|photo", defaultValue = "tinted",
            description = "tinted: items tinted with random bright colours on textured backgrounds; photo: items in "
                    + "their photographs' grey levels on black, which the small FCN trained from scratch learns "
                    + "sooner (docs/RESULTS.md) (default ${DEFAULT-VALUE}).")
    String style;

    @Option(names = "--fashion-classes", paramLabel = "NAME[,NAME...]", split = ",",
            description = "Compose from these Fashion-MNIST classes only, with ids 1..n in this order (default: all "
                    + "ten: tshirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, boot).")
    List<String> fashionClasses;

    @Option(names = "--overwrite", description = "Accept a non-empty output folder.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        FashionComposer.Style look = OptionCheck.value(spec.commandLine(), () -> switch (style) {
            case "tinted" -> FashionComposer.Style.TINTED_ON_TEXTURE;
            case "photo" -> FashionComposer.Style.PHOTO_ON_BLACK;
            default -> throw new IllegalArgumentException("Unknown --style '" + style + "'; known: tinted, photo");
        });
        List<String> names = fashionClasses == null ? FashionMnist.CLASS_NAMES : fashionClasses;
        OptionCheck.require(spec.commandLine(), () -> {
            if (size < 32 || size > 1024) {
                throw new IllegalArgumentException("--size must be in 32..1024, found " + size);
            }
            for (String n : names) {
                if (!FashionMnist.CLASS_NAMES.contains(n)) {
                    throw new IllegalArgumentException("Unknown Fashion-MNIST class '" + UntrustedText.printable(n)
                            + "' in --fashion-classes; known: " + String.join(", ", FashionMnist.CLASS_NAMES));
                }
            }
        });
        FashionVocExport export = new FashionVocExport(fashionDir, train, val, seed,
                b -> b.size(size).style(look).classes(names));
        FashionVocExport.Result r;
        try (ConsoleProgress tp = common.progress("train"); ConsoleProgress vp = common.progress("val")) {
            r = export.write(out, overwrite, tp, vp);
        }
        var o = spec.commandLine().getOut();
        o.printf("Wrote %d train and %d val scenes to %s%n", r.train().succeeded(), r.val().succeeded(), r.root());
        return Reports.exitCode(o, r.train(), r.val());
    }
}
