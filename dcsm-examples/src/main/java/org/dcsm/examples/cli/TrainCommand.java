package org.dcsm.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.backprop.net.Vgg16Fcn;
import org.dcsm.backprop.net.VggStyleFcn;
import org.dcsm.backprop.train.EpochSummary;
import org.dcsm.backprop.train.MultiLabelTrainer;
import org.dcsm.backprop.train.TrainingListener;
import org.dcsm.core.voc.VocDataset;
import org.dcsm.examples.run.Method;
import org.dcsm.examples.run.MethodPreset;
import org.dcsm.examples.run.TrainingData;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dcsm train}: trains the multi-label FCN on a VOC-layout folder from image-level labels only. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a fully convolutional multi-label network (global max pooling, sigmoid cross-entropy; "
                + "paper Sec. 3.1) on a PASCAL VOC-layout folder using image-level labels only: from Annotations/*.xml, "
                + "or from the masks when there is no XML. Saves the model and its class list into MODEL_DIR.",
                "From scratch: batch normalisation (folded afterwards), average pooling ramped to max pooling."})
final class TrainCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions dataset;

    @Option(names = "--split", defaultValue = "train", description = "Split to train on (default ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR",
            description = "Where to save the model: a new or empty folder, or an existing model folder with --overwrite.")
    Path out;

    @Option(names = "--overwrite", description = "Replace the model in an existing model folder --out (its tuned "
            + "crf*.properties are removed: they belong to the old model).")
    boolean overwrite;

    @Option(names = "--arch", defaultValue = "small", paramLabel = "small|vgg16",
            description = "Architecture: small (16-32-64-128-128 channels, CPU-friendly) or vgg16 (default ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--epochs", defaultValue = "12", paramLabel = "N", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--image-size", defaultValue = "0", paramLabel = "S",
            description = "Rescale images to a longest side of S pixels (default ${DEFAULT-VALUE}: as they are).")
    int imageSize;

    @Option(names = "--seed", defaultValue = "42", description = "Training seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--widths", split = ",", paramLabel = "C",
            description = "Channels of the five blocks of the small architecture (fc6 and fc7 take the last), "
                    + "e.g. 8,16,32,64,64 (the demo's); default 16,32,64,128,128.")
    int[] widths;

    @Option(names = "--learning-rate", defaultValue = "0.05", paramLabel = "LR",
            description = "SGD learning rate (default ${DEFAULT-VALUE}, the demo's; the from-scratch preset's 0.1 left "
                    + "the loss at the label prior's on Fashion-MNIST scenes).")
    double learningRate;

    @Override
    public Integer call() throws Exception {
        VggStyleFcn architecture = OptionCheck.value(spec.commandLine(), this::checkedArchitecture);
        checkOutput();
        VocDataset voc = dataset.open();
        TrainingData data;
        try (ConsoleProgress p = common.progress("load " + split)) {
            data = TrainingData.load(voc, split, p);
        }
        if (data.images().isEmpty()) {
            throw new IllegalStateException("No usable training image in split '" + split + "' of " + voc.root());
        }
        var o = spec.commandLine().getOut();
        o.printf("Training %s on %d images of %s/%s (%d classes) for %d epochs%n", architecture.name(),
                data.images().size(), voc.root(), split, voc.classes().foregroundCount(), epochs);
        if (data.unlabelled() > 0) {
            o.printf("Skipped %d image(s) with no foreground class (background only): they give a multi-label "
                    + "classifier no signal%n", data.unlabelled());
        }
        MultiLabelTrainer trainer;
        try (ConsoleProgress p = common.progress("train")) {
            int stepsPerEpoch = (data.images().size() + 7) / 8;
            p.started((long) stepsPerEpoch * epochs);
            trainer = MultiLabelTrainer.fromScratchPreset().epochs(epochs).seed(seed).longestSide(imageSize)
                    .learningRate(learningRate)
                    .poolingRamp(epochs / 6, Math.max(1, epochs / 2))
                    .listener(new TrainingListener() {
                        @Override
                        public void iterationDone(int epoch, long iteration, double loss) {
                            p.step();
                        }

                        @Override
                        public void epochDone(EpochSummary s) {
                            o.printf("epoch %d: loss %.4f (max-pooling weight %.2f, %.0f s)%n", s.epoch() + 1,
                                    s.meanLoss(), s.maxPoolingWeight(), s.seconds());
                            o.flush();
                        }
                    }).build();
            FcnModel model = trainer.train(architecture, voc.classes(), data.images(), null);
            model.save(out);
            for (Method m : List.of(Method.DCSM, Method.SIMONYAN)) {
                Files.deleteIfExists(out.resolve(MethodPreset.fileOf(m))); // tuned for the model just replaced
            }
        }
        o.printf("Saved the model to %s%n", out.toAbsolutePath());
        return Reports.exitCode(o, data.report());
    }

    /** Checks the numeric options and returns the architecture they ask for; throws naming a bad option. */
    private VggStyleFcn checkedArchitecture() {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, found " + epochs);
        }
        if (imageSize < 0) {
            throw new IllegalArgumentException("--image-size must be >= 0, found " + imageSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("--learning-rate must be a positive number, found " + learningRate);
        }
        return switch (arch) {
            case "small" -> smallArchitecture(widths);
            case "vgg16" -> {
                if (widths != null) {
                    throw new IllegalArgumentException("--widths applies to --arch small only");
                }
                yield Vgg16Fcn.architecture();
            }
            default -> throw new IllegalArgumentException("Unknown --arch '" + arch + "'; known: small, vgg16");
        };
    }

    /**
     * Refuses, before any work, an {@code --out} that is a file, a non-empty folder that is not a model folder,
     * or a model folder without {@code --overwrite} (exit 2).
     */
    private void checkOutput() throws IOException {
        CommandLine cl = spec.commandLine();
        OutputFolder.requireNotAFile(cl, out, "--out");
        if (Files.isDirectory(out)) {
            boolean empty = OutputFolder.isEmpty(out);
            if (!empty && !Files.isRegularFile(out.resolve(FcnModel.PROPERTIES_FILE))) {
                throw new CommandLine.ParameterException(cl, "--out " + out + " is not empty and is not a model folder:"
                        + " choose a new or empty folder");
            }
            if (!empty && !overwrite) {
                throw new CommandLine.ParameterException(cl, "--out " + out + " holds a model: add --overwrite to"
                        + " replace it, or choose a new folder");
            }
        }
    }

    /** The small architecture, with the given block widths when not null. */
    static VggStyleFcn smallArchitecture(int[] widths) {
        if (widths == null) {
            return SmallVggFcn.architecture();
        }
        if (widths.length != 5) {
            throw new IllegalArgumentException("--widths needs the channels of the 5 blocks, found " + widths.length
                    + " values");
        }
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("--widths must be >= 1, found " + w);
            }
        }
        return SmallVggFcn.architecture(widths);
    }
}
