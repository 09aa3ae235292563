package org.dcsm.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.backprop.net.Vgg16Fcn;
import org.dcsm.backprop.net.VggStyleFcn;
import org.dcsm.backprop.train.EpochSummary;
import org.dcsm.backprop.train.LabeledImage;
import org.dcsm.backprop.train.MultiLabelTrainer;
import org.dcsm.backprop.train.Optimizer;
import org.dcsm.backprop.train.TrainingCheckpoint;
import org.dcsm.backprop.train.TrainingListener;
import org.dcsm.core.voc.VocDataset;
import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodPreset;
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
                "From scratch: batch normalisation (folded afterwards), average pooling ramped to max pooling, AdamW "
                + "with a warm-up and cosine decay, batches of 32 (docs/RESULTS.md has the measured recipe)."})
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

    @Option(names = "--epochs", defaultValue = "20", paramLabel = "N", description = "Epochs (default ${DEFAULT-VALUE}).")
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

    @Option(names = "--learning-rate", defaultValue = "0.003", paramLabel = "LR",
            description = "Base learning rate (default ${DEFAULT-VALUE}, adamw's; 0.05 suits sgd, the demo's).")
    double learningRate;

    @Option(names = "--optimizer", defaultValue = "adamw", paramLabel = "sgd|adamw",
            description = "sgd: Caffe's SGD with momentum 0.9 and L2 weight decay (the paper's); adamw: Adam with "
                    + "decoupled weight decay (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--weight-decay", defaultValue = "0.01", paramLabel = "L",
            description = "Weight decay: decoupled for adamw, L2 for sgd (default ${DEFAULT-VALUE}; 5e-4 suits sgd).")
    double weightDecay;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
            description = "Images per mini-batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--warmup-epochs", defaultValue = "1", paramLabel = "E",
            description = "Epochs of linear learning-rate warm-up (default ${DEFAULT-VALUE}).")
    int warmupEpochs;

    @Option(names = "--final-lr", defaultValue = "0.02", paramLabel = "F",
            description = "Cosine decay of the learning rate after the warm-up, down to F times the base rate at the "
                    + "end (default ${DEFAULT-VALUE}; 1 = no decay).")
    double finalLearningRate;

    @Option(names = "--scale-range", defaultValue = "0.7,1.4", split = ",", paramLabel = "MIN,MAX",
            description = "Range of the random rescale factor drawn per mini-batch (default ${DEFAULT-VALUE}).")
    double[] scaleRange;

    @Option(names = "--pooling-ramp", split = ",", paramLabel = "A,M",
            description = "Global average pooling for the first A epochs, ramped linearly to max pooling, reached at "
                    + "epoch M (default: A = epochs/10, M = epochs/4, at least 1).")
    int[] poolingRamp;

    @Option(names = "--no-flip", description = "Do not mirror training images left to right at random (the default "
            + "mirrors each with probability 1/2, an augmentation beyond the paper).")
    boolean noFlip;

    @Option(names = "--val-split", defaultValue = "val", paramLabel = "SPLIT|none",
            description = "Split scored after every epoch (validation mAP), when the folder has it "
                    + "(default ${DEFAULT-VALUE}; none to skip).")
    String valSplit;

    @Option(names = "--resume", description = "Continue the interrupted run whose checkpoint (" + CHECKPOINT_FILE
            + ") is in --out. Give the same options as the run that wrote it.")
    boolean resume;

    /** The training checkpoint written into --out after every epoch, removed once the model is saved. */
    static final String CHECKPOINT_FILE = "training.ckpt";

    @Override
    public Integer call() throws Exception {
        MultiLabelTrainer.Builder settings = trainerSettings();
        VggStyleFcn architecture = OptionCheck.value(spec.commandLine(), this::checkedArchitecture);
        checkOutput();
        TrainingCheckpoint interrupted = resume ? TrainingCheckpoint.read(out.resolve(CHECKPOINT_FILE)) : null;
        if (interrupted != null) {
            OptionCheck.require(spec.commandLine(), () -> settings.build().requireSameSettings(interrupted));
        }
        VocDataset voc = dataset.open();
        String validationSplit = validationSplit(voc);
        TrainingData data;
        try (ConsoleProgress p = common.progress("load " + split)) {
            data = TrainingData.load(voc, split, p);
        }
        if (data.images().isEmpty()) {
            throw new IllegalStateException("No usable training image in split '" + split + "' of " + voc.root());
        }
        TrainingData validation = null;
        if (validationSplit != null) {
            try (ConsoleProgress p = common.progress("load " + validationSplit)) {
                validation = TrainingData.load(voc, validationSplit, p);
            }
        }
        var o = spec.commandLine().getOut();
        o.printf("Training %s on %d images of %s/%s (%d classes) for %d epochs%s%n", architecture.name(),
                data.images().size(), voc.root(), split, voc.classes().foregroundCount(), epochs,
                validation == null ? "" : ", scored on " + validation.images().size() + " images of " + validationSplit);
        if (data.unlabelled() > 0) {
            o.printf("Skipped %d image(s) with no foreground class (background only): they give a multi-label "
                    + "classifier no signal%n", data.unlabelled());
        }
        Path checkpoint = out.resolve(CHECKPOINT_FILE);
        Files.createDirectories(out);
        try (ConsoleProgress p = common.progress("train")) {
            MultiLabelTrainer trainer = settings.resumableCheckpoint(checkpoint)
                    .listener(new TrainProgress(p, o, batchSize)).build();
            int stepsPerEpoch = trainer.stepsPerEpoch(data.images().size());
            FcnModel model;
            List<LabeledImage> val = validation == null || validation.images().isEmpty() ? null
                    : validation.images();
            if (interrupted != null) {
                o.printf("Resuming after epoch %d of %d (iteration %d)%n", interrupted.completedEpochs(), epochs,
                        interrupted.iteration());
                p.started((long) stepsPerEpoch * Math.max(0, epochs - interrupted.completedEpochs()));
                model = trainer.resume(interrupted, data.images(), val);
            } else {
                p.started((long) stepsPerEpoch * epochs);
                model = trainer.train(architecture, voc.classes(), data.images(), val);
            }
            model.save(out);
            for (Method m : List.of(Method.DCSM, Method.SIMONYAN)) {
                Files.deleteIfExists(out.resolve(MethodPreset.fileOf(m))); // tuned for the model just replaced
            }
            Files.deleteIfExists(checkpoint); // the run is complete: nothing left to resume
        }
        o.printf("Saved the model to %s%n", out.toAbsolutePath());
        return validation == null ? Reports.exitCode(o, data.report())
                : Reports.exitCode(o, data.report(), validation.report());
    }

    /** The trainer's settings from the options, validated (a bad value exits 2). */
    MultiLabelTrainer.Builder trainerSettings() {
        CommandLine cl = spec.commandLine();
        if (scaleRange.length != 2) {
            throw new CommandLine.ParameterException(cl, "--scale-range needs MIN,MAX, found " + scaleRange.length
                    + " values");
        }
        int[] ramp = poolingRamp != null ? poolingRamp : new int[] {epochs / 10, Math.max(1, epochs / 4)};
        if (ramp.length != 2) {
            throw new CommandLine.ParameterException(cl, "--pooling-ramp needs A,M, found " + ramp.length + " values");
        }
        try {
            MultiLabelTrainer.Builder b = MultiLabelTrainer.fromScratch().toBuilder().epochs(epochs).seed(seed)
                    .longestSide(imageSize).optimizer(Optimizer.of(optimizer)).learningRate(learningRate)
                    .weightDecay(weightDecay).batchSize(batchSize).warmupCosine(warmupEpochs, finalLearningRate)
                    .scaleRange(scaleRange[0], scaleRange[1]).poolingRamp(ramp[0], ramp[1])
                    .horizontalFlip(!noFlip);
            b.build(); // every range check, before any work
            return b;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, optionNames(e.getMessage()));
        }
    }

    /** The trainer's field names in a message, spelled as this command's options. */
    static String optionNames(String message) {
        String[][] names = {{"warmupEpochs", "--warmup-epochs"}, {"the final learning-rate fraction", "--final-lr"},
            {"learningRate", "--learning-rate"}, {"weightDecay", "--weight-decay"}, {"batchSize", "--batch-size"},
            {"scaleRange", "--scale-range"}, {"poolingRamp", "--pooling-ramp"}, {"longestSide", "--image-size"},
            {"AdamW takes momentum as beta1", "--optimizer adamw takes momentum as beta1"}};
        String m = message;
        for (String[] n : names) {
            m = m.replace(n[0], n[1]);
        }
        return m.replaceAll("^epochs\\b", "--epochs").replace("0..epochs", "0..--epochs");
    }

    /** The split to score after every epoch, or null. */
    private String validationSplit(VocDataset voc) throws IOException {
        if ("none".equals(valSplit)) {
            return null;
        }
        boolean present = voc.splits().contains(valSplit);
        if (!present && spec.commandLine().getParseResult().hasMatchedOption("--val-split")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--val-split " + valSplit + ": "
                    + voc.root() + " has no such split; it has " + voc.splits());
        }
        return present && !valSplit.equals(split) ? valSplit : null;
    }

    /** Progress bar with images per second and the running loss; one line per epoch on standard output. */
    private static final class TrainProgress implements TrainingListener {
        private final ConsoleProgress bar;
        private final java.io.PrintWriter out;
        private final int batchSize;
        private long epochStart;
        private long images;
        private double smoothedLoss = Double.NaN;

        TrainProgress(ConsoleProgress bar, java.io.PrintWriter out, int batchSize) {
            this.bar = bar;
            this.out = out;
            this.batchSize = batchSize;
        }

        @Override
        public void epochStarted(int epoch, double maxPoolingWeight, boolean headOnly) {
            epochStart = System.nanoTime();
            images = 0;
        }

        @Override
        public void iterationDone(int epoch, long iteration, double loss) {
            images += batchSize;
            smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.9 * smoothedLoss + 0.1 * loss;
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            bar.extra(String.format(Locale.ROOT, "%.1f img/s, loss %.3f", images / Math.max(seconds, 1e-9),
                    smoothedLoss));
            bar.step();
        }

        @Override
        public void epochDone(EpochSummary s) {
            out.printf(Locale.ROOT, "epoch %d: loss %.4f (max-pooling weight %.2f, %.0f s, %.1f img/s)%s%n",
                    s.epoch() + 1, s.meanLoss(), s.maxPoolingWeight(), s.seconds(),
                    images / Math.max(s.seconds(), 1e-9), s.validation() == null ? ""
                            : String.format(Locale.ROOT, ", validation mAP %.4f",
                                    s.validation().meanAveragePrecision()));
            out.flush();
        }
    }

    /** The architecture the options ask for; throws naming a bad option ({@link #trainerSettings} checks the rest). */
    private VggStyleFcn checkedArchitecture() {
        if (imageSize < 0) {
            throw new IllegalArgumentException("--image-size must be >= 0, found " + imageSize);
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
        boolean interrupted = Files.isRegularFile(out.resolve(CHECKPOINT_FILE));
        if (resume) {
            if (!interrupted) {
                throw new CommandLine.ParameterException(cl, "--resume: " + out + " holds no " + CHECKPOINT_FILE
                        + " (an interrupted dcsm train writes it there after every epoch)");
            }
            return;
        }
        if (interrupted && !overwrite) {
            throw new CommandLine.ParameterException(cl, "--out " + out + " holds the checkpoint of an interrupted "
                    + "training (" + CHECKPOINT_FILE + "): add --resume to continue it, or --overwrite to start again");
        }
        if (Files.isDirectory(out) && !interrupted) { // an interrupted run's folder is replaced by the new run
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
