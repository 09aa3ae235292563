package org.dcsm.backprop.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

import org.dcsm.backprop.net.FcnLayers;
import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.VggStyleFcn;
import org.dcsm.core.ClassList;
import org.dcsm.core.impl.NdArrays;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link VggStyleFcn} multi-label network from image-level labels only (§3.1 of the paper): global
 * pooling of the class score map and the sigmoid cross-entropy (Eq. 1–2), mini-batches rescaled by one
 * random factor in [{@code minScale}, {@code maxScale}] and zero-padded to a common canvas (the batch's
 * highest × widest image), SGD with momentum and L2 weight decay, optionally training only the layers above
 * pool5 for the first iterations.
 *
 * <p>How: DL4J trains a network that ends at {@code fc8}
 * ({@link VggStyleFcn#buildTrainingNetwork}); the trainer computes the global pooling and the loss itself
 * ({@code p·max + (1 − p)·mean} over positions; p = 1 is the paper's global max pooling), feeds the gradient
 * of the loss w.r.t. the score map back through {@link MultiLayerNetwork#backpropGradient} and applies DL4J's
 * updater (which also handles weight decay and batch-norm running statistics). Pooling layers have no
 * parameters, so ramping p from average to max pooling needs no change of the network. The result is always
 * the inference network of the contract (global max pooling, batch normalisation folded into the
 * convolutions).
 *
 * <p>Presets: {@link #paper()} (fine-tuning as in the paper) and {@link #fromScratch()} (what
 * made a small VGG-style FCN learn from scratch on a CPU: batch normalisation while training, average
 * pooling for the first epochs ramped to max pooling). Every value can be changed through {@code toBuilder()}.
 *
 * <p>Momentum is Caffe's classical momentum ({@link ClassicalMomentum}: v ← μv + ηg, θ ← θ − v). Weight
 * decay is L2 added to the weight gradients before the update (Caffe's rule), not to biases. At the switch
 * from head-only to all-layer training the momentum state is reset.
 *
 * <p>Beyond the paper: {@link Optimizer#ADAMW} (Adam with decoupled weight decay) and a learning-rate
 * schedule with linear warm-up and cosine decay ({@link Builder#warmupCosine}); the defaults stay Caffe's SGD at
 * a constant rate. With {@link Builder#resumableCheckpoint} the whole training state is written after every
 * epoch, and {@link #resume} continues an interrupted run to the same result, bit for bit.
 *
 * <p>Immutable and reusable; {@link #train} is not thread-safe for the same data. Every epoch draws its
 * shuffle, rescale factors and dropout masks from its own streams, seeded from the seed and the epoch number
 * (ND4J's global random generator is re-seeded at the start of every epoch), so that a resumed run repeats
 * the epochs it did not finish exactly.
 */
public final class MultiLabelTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(MultiLabelTrainer.class);

    /**
     * The per-step workspace: sized by the first steps, grown (re-allocated) when a larger batch canvas
     * spills over, reset at the start of every step.
     */
    /** AdamW's β2 and ε (PyTorch's and the paper of Kingma &amp; Ba's defaults). */
    private static final double ADAM_BETA2 = 0.999;
    private static final double ADAM_EPSILON = 1e-8;

    private static final WorkspaceConfiguration STEP_WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.1).policyLearning(LearningPolicy.OVER_TIME)
            .cyclesBeforeInitialization(1).policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policySpill(SpillPolicy.REALLOCATE).policyReset(ResetPolicy.BLOCK_LEFT).build();

    private final int epochs;
    private final long maxIterations;
    private final int batchSize;
    private final double learningRate;
    private final double momentum;
    private final double weightDecay;
    private final long headOnlyIterations;
    private final boolean batchNorm;
    private final double dropoutRetain;
    private final int averagePoolingEpochs;
    private final int maxPoolingFromEpoch;
    private final double minScale;
    private final double maxScale;
    private final int longestSide;
    private final long seed;
    private final int checkpointEvery;
    private final Path checkpointDir;
    private final Optimizer optimizer;
    private final int warmupEpochs;
    /** The rate at the last iteration as a fraction of the base rate; 1 = no cosine decay. */
    private final double finalLearningRateFraction;
    private final Path resumableCheckpoint;
    private final boolean horizontalFlip;
    private final List<TrainingListener> listeners;

    private MultiLabelTrainer(Builder b) {
        this.epochs = b.epochs;
        this.maxIterations = b.maxIterations;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
        this.headOnlyIterations = b.headOnlyIterations;
        this.batchNorm = b.batchNorm;
        this.dropoutRetain = b.dropoutRetain;
        this.averagePoolingEpochs = b.averagePoolingEpochs;
        this.maxPoolingFromEpoch = b.maxPoolingFromEpoch;
        this.minScale = b.minScale;
        this.maxScale = b.maxScale;
        this.longestSide = b.longestSide;
        this.seed = b.seed;
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointDir = b.checkpointDir;
        this.optimizer = b.optimizer;
        this.warmupEpochs = b.warmupEpochs;
        this.finalLearningRateFraction = b.finalLearningRateFraction;
        this.resumableCheckpoint = b.resumableCheckpoint;
        this.horizontalFlip = b.horizontalFlip;
        this.listeners = List.copyOf(b.listeners);
    }

    /** A builder holding the paper's settings ({@link #paper()}); change what differs and build. */
    public static Builder builder() {
        return new Builder().batchSize(2).learningRate(1e-5).momentum(0.9).weightDecay(5e-4).longestSide(500)
                .scaleRange(0.7, 1.4).poolingRamp(0, 0).dropoutRetain(0.5).batchNorm(false)
                .headOnlyIterations(30_000).maxIterations(50_000).epochs(Integer.MAX_VALUE);
    }

    /**
     * The paper's fine-tuning (§4.1): batch 2, learning rate 1e-5, momentum 0.9, weight decay 5e-4, images
     * normalised to a longest side of 500 then rescaled by 0.7–1.4, global max pooling throughout, dropout
     * 0.5 before fc7 and fc8 (VGG-16's), no batch normalisation, 30,000 iterations training only the layers
     * above pool5 then 20,000 iterations training all layers (50,000 in all). The settings of {@link #builder()}.
     */
    public static MultiLabelTrainer paper() {
        return builder().build();
    }

    /**
     * Training a small VGG-style FCN from scratch on a CPU: batch 8, learning rate 0.1, momentum 0.9,
     * weight decay 5e-4, batch normalisation (folded into the convolutions afterwards), no dropout, global
     * average pooling for 2 epochs then ramped linearly to max pooling, reached at epoch 6, images kept at
     * their size and rescaled by 0.7–1.4, all layers trained, 12 epochs. {@code dcsm train} and the demo start
     * from it ({@code fromScratch().toBuilder()...}).
     */
    public static MultiLabelTrainer fromScratch() {
        return new Builder().batchSize(8).learningRate(0.1).momentum(0.9).weightDecay(5e-4).longestSide(0)
                .scaleRange(0.7, 1.4).poolingRamp(2, 6).dropoutRetain(1.0).batchNorm(true).headOnlyIterations(0)
                .maxIterations(0).epochs(12).build();
    }

    /**
     * @deprecated presets are instances now: {@code paper().toBuilder()}, or {@link #builder()} (the same settings)
     */
    @Deprecated(forRemoval = true)
    public static Builder paperPreset() {
        return builder();
    }

    /** @deprecated presets are instances now: {@code fromScratch().toBuilder()} */
    @Deprecated(forRemoval = true)
    public static Builder fromScratchPreset() {
        return fromScratch().toBuilder();
    }

    /** A builder holding this trainer's settings, listeners included. */
    public Builder toBuilder() {
        Builder b = new Builder().epochs(epochs).maxIterations(maxIterations).batchSize(batchSize)
                .learningRate(learningRate).momentum(momentum).weightDecay(weightDecay)
                .headOnlyIterations(headOnlyIterations).batchNorm(batchNorm).dropoutRetain(dropoutRetain)
                .poolingRamp(averagePoolingEpochs, maxPoolingFromEpoch).scaleRange(minScale, maxScale)
                .longestSide(longestSide).seed(seed).checkpoints(checkpointEvery, checkpointDir).optimizer(optimizer)
                .warmupCosine(warmupEpochs, finalLearningRateFraction).resumableCheckpoint(resumableCheckpoint)
                .horizontalFlip(horizontalFlip);
        listeners.forEach(b::listener);
        return b;
    }

    /**
     * Weight p of max pooling in epoch {@code epoch}: 0 before {@code averagePoolingEpochs}, 1 from
     * {@code maxPoolingFromEpoch} on, linear in between.
     */
    public double maxPoolingWeight(int epoch) {
        if (epoch >= maxPoolingFromEpoch) {
            return 1.0;
        }
        if (epoch < averagePoolingEpochs) {
            return 0.0;
        }
        return (double) (epoch - averagePoolingEpochs + 1) / (maxPoolingFromEpoch - averagePoolingEpochs + 1);
    }

    /**
     * Trains a new network of {@code architecture} from randomly initialised weights.
     *
     * @param validation evaluated after every epoch when not null (may be empty only if null)
     * @return the trained inference model
     * @throws IllegalArgumentException for empty training data or a class id above K
     */
    public FcnModel train(VggStyleFcn architecture, ClassList classes, Iterable<LabeledImage> data,
            Iterable<LabeledImage> validation) {
        int k = classes.foregroundCount();
        List<LabeledImage> all = collect(data, k, "training data");
        List<LabeledImage> val = validation == null ? null : collect(validation, k, "validation data");
        return run(session(architecture, classes, stepsPerEpoch(all.size())), all, val, 0);
    }

    /**
     * Continues training (fine-tunes) {@code initial}'s weights, e.g. a VGG-16 FCN initialised from ImageNet.
     * With batch normalisation on, the new normalisation layers start as the identity.
     *
     * @return a new model; {@code initial} is not modified
     */
    public FcnModel train(FcnModel initial, Iterable<LabeledImage> data, Iterable<LabeledImage> validation) {
        int k = initial.numClasses();
        List<LabeledImage> all = collect(data, k, "training data");
        List<LabeledImage> val = validation == null ? null : collect(validation, k, "validation data");
        return run(session(initial, stepsPerEpoch(all.size())), all, val, 0);
    }

    /**
     * Continues a run from the checkpoint it wrote after its last finished epoch
     * ({@link Builder#resumableCheckpoint}): the same weights, optimiser state, iteration and per-epoch random
     * streams, so the result equals, to the last bit, what the uninterrupted run would have given (same thread
     * count). The architecture and the classes come from the checkpoint.
     *
     * @param data       the same training images, in the same order, as the interrupted run
     * @param validation evaluated after every epoch when not null
     * @throws IOException              when the checkpoint cannot be read or is corrupt (named)
     * @throws IllegalArgumentException when this trainer's settings or the number of training images differ
     *                                  from the checkpoint's (every differing setting is named)
     */
    public FcnModel resume(Path checkpoint, Iterable<LabeledImage> data, Iterable<LabeledImage> validation)
            throws IOException {
        return resume(TrainingCheckpoint.read(checkpoint), data, validation);
    }

    /**
     * {@link #resume(Path, Iterable, Iterable)} from a checkpoint already read (and checked) by
     * {@link TrainingCheckpoint#read}; its weights are read from its file again, once.
     */
    public FcnModel resume(TrainingCheckpoint c, Iterable<LabeledImage> data, Iterable<LabeledImage> validation)
            throws IOException {
        Path checkpoint = c.file();
        requireSameSettings(c);
        int k = c.classes().foregroundCount();
        List<LabeledImage> all = collect(data, k, "training data");
        if (all.size() != c.trainingImages()) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was written by a run on "
                    + c.trainingImages() + " training images; this run has " + all.size()
                    + ": resume with the same data");
        }
        List<LabeledImage> val = validation == null ? null : collect(validation, k, "validation data");
        Session session = session(c.architecture(), c.classes(), stepsPerEpoch(all.size()));
        try {
            c.restoreInto(session.net.params(), session.net.getUpdater().getStateViewArray());
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
        session.iteration = c.iteration();
        session.maxCanvas = c.maxCanvas();
        session.wasHeadOnly = session.iteration < headOnlyIterations;
        LOG.info("Resuming from {} after epoch {} (iteration {})", checkpoint, c.completedEpochs(), c.iteration());
        return run(session, all, val, c.completedEpochs());
    }

    /**
     * Checks that {@link #resume} can continue {@code c} with this trainer: the same settings.
     *
     * @throws IllegalArgumentException naming every setting that differs, with both values
     */
    public void requireSameSettings(TrainingCheckpoint c) {
        Map<String, String> mine = settings();
        Map<String, String> theirs = c.settings();
        List<String> diffs = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(mine.keySet());
        keys.addAll(theirs.keySet());
        for (String key : keys) {
            if (!Objects.equals(mine.get(key), theirs.get(key))) {
                diffs.add(key + " = " + theirs.get(key) + " in the checkpoint, " + mine.get(key) + " now");
            }
        }
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + c.file() + " was written with other training "
                    + "settings; resume with the same ones: " + String.join("; ", diffs));
        }
    }

    /** Mini-batch steps in one epoch over {@code images} training images. */
    public int stepsPerEpoch(int images) {
        return (images + batchSize - 1) / batchSize;
    }

    /**
     * A training session on freshly initialised weights of {@code architecture}: the training network, its
     * optimiser state and reusable buffers, stepped one mini-batch at a time by {@link Session#step}. This is
     * what {@link #train} runs per batch; use it to drive training yourself (or to time a step).
     */
    public Session session(VggStyleFcn architecture, ClassList classes) {
        return session(architecture, classes, 1);
    }

    /**
     * A training session whose learning-rate schedule spans {@code epochs × stepsPerEpoch} iterations (or
     * {@code maxIterations}, when that is set and smaller); see {@link #session(VggStyleFcn, ClassList)}.
     */
    public Session session(VggStyleFcn architecture, ClassList classes, int stepsPerEpoch) {
        return new Session(trainingNetwork(architecture, classes.foregroundCount(), stepsPerEpoch), architecture,
                classes);
    }

    /** A training session that continues from {@code initial}'s weights (see {@link #train(FcnModel, Iterable, Iterable)}). */
    public Session session(FcnModel initial, int stepsPerEpoch) {
        VggStyleFcn arch = initial.architecture();
        MultiLayerNetwork net = trainingNetwork(arch, initial.numClasses(), stepsPerEpoch);
        arch.copyFolded(initial.network(), net);
        return new Session(net, arch, initial.classes());
    }

    private MultiLayerNetwork trainingNetwork(VggStyleFcn arch, int k, int stepsPerEpoch) {
        ISchedule schedule = learningRateSchedule(stepsPerEpoch);
        IUpdater updater;
        List<Regularization> decay;
        if (optimizer == Optimizer.ADAMW) {
            Adam adam = schedule == null ? new Adam(learningRate) : new Adam(schedule);
            adam.setBeta1(momentum);
            adam.setBeta2(ADAM_BETA2);
            adam.setEpsilon(ADAM_EPSILON);
            updater = adam;
            decay = weightDecay == 0 ? List.of() : List.of(new WeightDecay(weightDecay, true));
        } else {
            updater = schedule == null ? new ClassicalMomentum(learningRate, momentum)
                    : new ClassicalMomentum(schedule, momentum);
            decay = weightDecay == 0 ? List.of() : List.of(new L2Regularization(weightDecay));
        }
        return arch.buildTrainingNetwork(k, batchNorm, dropoutRetain, updater, decay, seed);
    }

    /**
     * The learning rate by iteration, or null for a constant rate: linear warm-up over
     * {@code warmupEpochs × stepsPerEpoch} iterations, then cosine decay to {@code finalLearningRateFraction}
     * of the rate at the last iteration when cosine decay is on.
     */
    ISchedule learningRateSchedule(int stepsPerEpoch) {
        boolean cosineDecay = finalLearningRateFraction != 1.0;
        if (warmupEpochs == 0 && !cosineDecay) {
            return null;
        }
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("stepsPerEpoch must be >= 1, found " + stepsPerEpoch);
        }
        long total = (long) epochs * stepsPerEpoch;
        if (maxIterations > 0) {
            total = Math.min(total, maxIterations);
        }
        long warmup = Math.min(total, (long) warmupEpochs * stepsPerEpoch);
        return new WarmupCosineSchedule(learningRate, warmup, cosineDecay ? total : Long.MAX_VALUE,
                finalLearningRateFraction);
    }

    /** The seed of epoch {@code epoch}'s shuffle, rescale factors and dropout masks. */
    static long epochSeed(long seed, int epoch) {
        return seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L));
    }

    private FcnModel run(Session session, List<LabeledImage> all, List<LabeledImage> val, int firstEpoch) {
        try (session) {
            MultiLabelEvaluation lastEval = null;
            outer:
            for (int epoch = firstEpoch; epoch < epochs; epoch++) {
                // every epoch draws from its own seeded streams, so that a resumed run repeats it exactly
                Nd4j.getRandom().setSeed(epochSeed(seed, epoch));
                Random rng = new Random(epochSeed(seed, epoch));
                double p = maxPoolingWeight(epoch);
                boolean headOnlyAtStart = session.iteration < headOnlyIterations;
                for (TrainingListener l : listeners) {
                    l.epochStarted(epoch, p, headOnlyAtStart);
                }
                long t0 = System.nanoTime();
                List<LabeledImage> order = new ArrayList<>(all);
                Collections.shuffle(order, rng);
                double lossSum = 0;
                int steps = 0;
                for (int start = 0; start < order.size(); start += batchSize) {
                    if (maxIterations > 0 && session.iteration >= maxIterations) {
                        if (steps > 0) {
                            finishEpoch(epoch, steps, lossSum, p, t0, session, val, all.size());
                        }
                        break outer;
                    }
                    List<LabeledImage> batch = order.subList(start, Math.min(order.size(), start + batchSize));
                    double scale = minScale + (maxScale - minScale) * rng.nextDouble();
                    boolean[] mirror = null;
                    if (horizontalFlip) {
                        mirror = new boolean[batch.size()];
                        for (int i = 0; i < mirror.length; i++) {
                            mirror[i] = rng.nextBoolean();
                        }
                    }
                    long iteration = session.iteration;
                    double loss = session.step(batch, scale, p, epoch, mirror);
                    lossSum += loss;
                    steps++;
                    for (TrainingListener l : listeners) {
                        l.iterationDone(epoch, iteration, loss);
                    }
                }
                lastEval = finishEpoch(epoch, steps, lossSum, p, t0, session, val, all.size());
                // native buffers of arrays created outside the step workspace (DL4J's updater, evaluation)
                // are freed only when their Java objects are collected, and the heap barely grows: without
                // this, resident memory rose ~50 MB per epoch (small FCN, docs/PERFORMANCE.md)
                Nd4j.getMemoryManager().invokeGc();
            }
            FcnModel model = session.model();
            LOG.info("Training finished after {} iterations{}", session.iteration, lastEval == null ? ""
                    : String.format(Locale.ROOT, "; validation mAP %.4f", lastEval.meanAveragePrecision()));
            return model;
        }
    }

    private MultiLabelEvaluation finishEpoch(int epoch, int steps, double lossSum, double p, long t0,
            Session session, List<LabeledImage> val, int trainingImages) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        FcnModel current = null;
        MultiLabelEvaluation eval = null;
        boolean checkpoint = checkpointEvery > 0 && (epoch + 1) % checkpointEvery == 0;
        if (val != null || checkpoint) {
            current = session.model(0);
        }
        if (val != null) {
            eval = MultiLabelEvaluation.evaluate(current, val);
        }
        EpochSummary summary = new EpochSummary(epoch, steps, steps == 0 ? Double.NaN : lossSum / steps, p, seconds,
                eval);
        LOG.info(String.format(Locale.ROOT, "Epoch %d: %d steps, loss %.4f, max-pooling weight %.2f, %.1f s%s",
                epoch, steps, summary.meanLoss(), p, seconds,
                eval == null ? "" : String.format(Locale.ROOT, ", val mAP %.4f, exact %.4f",
                        eval.meanAveragePrecision(), eval.exactMatchAccuracy())));
        for (TrainingListener l : listeners) {
            l.epochDone(summary);
        }
        if (checkpoint) {
            Path dir = checkpointDir.resolve(String.format(Locale.ROOT, "epoch-%03d", epoch + 1));
            try {
                current.save(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write checkpoint " + dir, e);
            }
            for (TrainingListener l : listeners) {
                l.checkpointSaved(epoch, dir);
            }
        }
        if (resumableCheckpoint != null) {
            try {
                TrainingCheckpoint.write(resumableCheckpoint, session.arch, session.classes, settings(), epoch + 1,
                        session.iteration, session.maxCanvas, trainingImages, session.net.params(),
                        session.net.getUpdater().getStateViewArray());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write training checkpoint " + resumableCheckpoint, e);
            }
            for (TrainingListener l : listeners) {
                l.checkpointSaved(epoch, resumableCheckpoint);
            }
        }
        return eval;
    }

    /**
     * One training run's state: the training network (batch normalisation, no pooling head), the optimiser
     * state and the iteration count. Created by {@link #session}; not thread-safe. Close it to release its
     * native memory early (the model returned by {@link #model()} stays valid).
     */
    public final class Session implements AutoCloseable {

        private final MultiLayerNetwork net;
        private final VggStyleFcn arch;
        private final ClassList classes;
        private final int k;
        private final long frozenParams;
        private final int minCanvas;
        private final LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        private final TrainingWalk walk;
        private final String workspaceId = "DCSM_TRAIN_STEP_" + System.identityHashCode(this);
        private final int fc6;
        private long iteration;
        private int maxCanvas;
        private boolean wasHeadOnly;

        private Session(MultiLayerNetwork net, VggStyleFcn arch, ClassList classes) {
            this.net = net;
            this.arch = arch;
            this.classes = classes;
            this.k = classes.foregroundCount();
            this.fc6 = layerIndex(net, FcnLayers.FC6);
            this.walk = new TrainingWalk(net);
            net.getUpdater(); // creates the optimiser state now, outside the per-step workspace
            long frozen = 0;
            for (int i = 0; i < fc6; i++) {
                frozen += net.getLayer(i).numParams();
            }
            this.frozenParams = frozen;
            this.minCanvas = arch.minimumInputSize();
            this.wasHeadOnly = headOnlyIterations > 0;
        }

        /**
         * One SGD step on {@code batch}: rescale by {@code scale} and pad to a common canvas, forward, global
         * pooling {@code p·max + (1 − p)·mean} and the sigmoid cross-entropy, backward, update. The first
         * {@code headOnlyIterations} steps of the session leave the layers below fc6 unchanged.
         *
         * @return the batch loss (mean over images, summed over classes)
         * @throws IllegalStateException when the loss is not finite
         */
        public double step(List<LabeledImage> batch, double scale, double maxPoolingWeight) {
            return step(batch, scale, maxPoolingWeight, 0, null);
        }

        double step(List<LabeledImage> batch, double scale, double p, int epoch, boolean[] mirror) {
            boolean headOnly = iteration < headOnlyIterations;
            if (wasHeadOnly && !headOnly) {
                // momentum collected while the body was frozen must not move it now
                INDArray state = net.getUpdater().getStateViewArray();
                if (state != null) {
                    state.assign(0);
                }
                wasHeadOnly = false;
                LOG.info("Iteration {}: training all layers from now on", iteration);
            }
            double loss;
            // every array of the step lives in one workspace, reused by the next step: no fresh native
            // allocations (page faults) per step, and nothing left for the garbage collector
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP_WORKSPACE, workspaceId)) {
                BatchAssembler.Batch b = BatchAssembler.assemble(batch, k, scale, longestSide, minCanvas, mirror);
                maxCanvas = Math.max(maxCanvas, b.canvas());
                loss = sgdStep(b, p, headOnly ? frozenParams : 0, epoch);
            }
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("Training diverged at epoch " + epoch + ", iteration " + iteration
                        + ": loss is " + loss + "; lower the learning rate (" + learningRate + ")");
            }
            iteration++;
            return loss;
        }

        /** Steps done so far. */
        public long iterations() {
            return iteration;
        }

        /** The current weights as an inference model (batch normalisation folded; a copy). */
        public FcnModel model() {
            return model(maxCanvas);
        }

        private FcnModel model(int canvas) {
            return new FcnModel(arch.toInferenceNetwork(net, k), classes, arch, canvas, trainingMetadata());
        }

        private double sgdStep(BatchAssembler.Batch b, double p, long frozen, int epoch) {
            INDArray input = b.input();
            int n = (int) input.size(0);
            INDArray scoreMap = walk.forward(input, (int) iteration, epoch);
            int h = (int) scoreMap.size(2);
            int w = (int) scoreMap.size(3);
            float[] s = NdArrays.toFloats(scoreMap);
            float[] grad = new float[s.length];
            float[] probs = new float[n * k];
            double loss = MixedGlobalPoolingLoss.forwardBackward(s, b.labels(), n, k, h, w, p, probs, grad);
            INDArray eps = Nd4j.create(grad, new long[] {n, k, h, w}, 'c').castTo(scoreMap.dataType());
            Gradient g = walk.backward(eps, frozen > 0 ? fc6 : 0);
            TrainingWalk.free(input);
            INDArray flatGrad = net.getFlattenedGradients();
            INDArray params = net.params();
            net.getUpdater().update(net, g, (int) iteration, epoch, n, mgr);
            if (frozen > 0) {
                flatGrad.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, frozen)).assign(0);
            }
            // both are views of the network's flat buffers: params [P] (or [1, P]), gradients [1, P]
            params.subi(flatGrad.reshape(params.shape()));
            return loss;
        }

        @Override
        public void close() {
            walk.release();
            net.clear();
            if (Nd4j.getWorkspaceManager().checkIfWorkspaceExists(workspaceId)) {
                Nd4j.getWorkspaceManager().destroyWorkspace(
                        Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(workspaceId));
            }
        }
    }

    private static List<LabeledImage> collect(Iterable<LabeledImage> data, int k, String what) {
        Objects.requireNonNull(data, what);
        List<LabeledImage> list = new ArrayList<>();
        for (LabeledImage im : data) {
            if (im.maxClassId() > k) {
                throw new IllegalArgumentException(what + ": class id " + im.maxClassId() + " of " + im
                        + " is outside 1.." + k + " (the model's foreground classes)");
            }
            list.add(im);
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return list;
    }

    private static int layerIndex(MultiLayerNetwork net, String name) {
        for (int i = 0; i < net.getnLayers(); i++) {
            if (name.equals(net.getLayer(i).conf().getLayer().getLayerName())) {
                return i;
            }
        }
        throw new IllegalArgumentException("training network has no layer '" + name + "'");
    }

    private Map<String, String> trainingMetadata() {
        Map<String, String> m = new TreeMap<>();
        for (Map.Entry<String, String> e : settings().entrySet()) {
            m.put("train." + e.getKey(), e.getValue());
        }
        return m;
    }

    /**
     * Every setting that shapes the training, by name: what a saved model records (as {@code meta.train.*})
     * and what {@link #resume} requires to be unchanged. Listeners, checkpoint places and the number of epochs
     * between model checkpoints are not settings.
     */
    public Map<String, String> settings() {
        Map<String, String> m = new TreeMap<>();
        m.put("epochs", Integer.toString(epochs));
        m.put("maxIterations", Long.toString(maxIterations));
        m.put("batchSize", Integer.toString(batchSize));
        m.put("optimizer", optimizer.id());
        m.put("learningRate", Double.toString(learningRate));
        m.put("warmupEpochs", Integer.toString(warmupEpochs));
        m.put("cosineDecay", finalLearningRateFraction != 1.0 ? Double.toString(finalLearningRateFraction) : "off");
        m.put("momentum", Double.toString(momentum));
        m.put("weightDecay", Double.toString(weightDecay));
        m.put("headOnlyIterations", Long.toString(headOnlyIterations));
        m.put("batchNorm", Boolean.toString(batchNorm));
        m.put("dropoutRetain", Double.toString(dropoutRetain));
        m.put("poolingRamp", averagePoolingEpochs + "-" + maxPoolingFromEpoch);
        m.put("scaleRange", minScale + "-" + maxScale);
        m.put("horizontalFlip", Boolean.toString(horizontalFlip));
        m.put("longestSide", Integer.toString(longestSide));
        m.put("seed", Long.toString(seed));
        return m;
    }

    /** The update rule. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Epochs at most. */
    public int epochs() {
        return epochs;
    }

    /** Mini-batch size. */
    public int batchSize() {
        return batchSize;
    }

    /** Learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** Momentum coefficient. */
    public double momentum() {
        return momentum;
    }

    /** L2 weight decay. */
    public double weightDecay() {
        return weightDecay;
    }

    /** Whether batch normalisation is used while training. */
    public boolean batchNorm() {
        return batchNorm;
    }

    /** Iterations that train only fc6 and above. */
    public long headOnlyIterations() {
        return headOnlyIterations;
    }

    /** Iterations at most (0 = no limit). */
    public long maxIterations() {
        return maxIterations;
    }

    /** Fluent builder; {@link #build()} validates every value. */
    public static final class Builder {
        private int epochs;
        private long maxIterations;
        private int batchSize;
        private double learningRate;
        private double momentum;
        private double weightDecay;
        private long headOnlyIterations;
        private boolean batchNorm;
        private double dropoutRetain = 1.0;
        private int averagePoolingEpochs;
        private int maxPoolingFromEpoch;
        private double minScale = 1;
        private double maxScale = 1;
        private int longestSide;
        private long seed = 42;
        private int checkpointEvery;
        private Path checkpointDir;
        private Optimizer optimizer = Optimizer.SGD;
        private int warmupEpochs;
        private double finalLearningRateFraction = 1.0;
        private Path resumableCheckpoint;
        private boolean horizontalFlip;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** Number of passes over the training data (≥ 1). */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Stop after this many mini-batch steps (0 = no limit). */
        public Builder maxIterations(long maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /** Images per mini-batch (≥ 1). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** SGD learning rate (&gt; 0). */
        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Momentum coefficient in [0, 1). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** L2 weight decay on weights (≥ 0). */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Mini-batch steps at the start that train only the layers above pool5 (≥ 0). */
        public Builder headOnlyIterations(long iterations) {
            this.headOnlyIterations = iterations;
            return this;
        }

        /** Batch normalisation after every convolution below fc8 while training. */
        public Builder batchNorm(boolean batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        /** Probability of keeping an input of fc7 and fc8 (DL4J's convention; 1 = no dropout). */
        public Builder dropoutRetain(double retain) {
            this.dropoutRetain = retain;
            return this;
        }

        /**
         * Global pooling schedule: average pooling for the first {@code averageEpochs} epochs, max pooling
         * from epoch {@code maxFromEpoch} on, linearly mixed in between. (0, 0) = max pooling throughout.
         */
        public Builder poolingRamp(int averageEpochs, int maxFromEpoch) {
            this.averagePoolingEpochs = averageEpochs;
            this.maxPoolingFromEpoch = maxFromEpoch;
            return this;
        }

        /** Range of the random per-batch rescale factor (0 &lt; min ≤ max). */
        public Builder scaleRange(double min, double max) {
            this.minScale = min;
            this.maxScale = max;
            return this;
        }

        /** Normalise each image to this longest side before the random rescale (0 = keep its size). */
        public Builder longestSide(int side) {
            this.longestSide = side;
            return this;
        }

        /** Seed of initialisation, shuffling, rescaling and dropout. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Save the inference model into {@code dir/epoch-NNN} every {@code everyEpochs} epochs (0 = never). */
        public Builder checkpoints(int everyEpochs, Path dir) {
            this.checkpointEvery = everyEpochs;
            this.checkpointDir = dir;
            return this;
        }

        /** The update rule (default {@link Optimizer#SGD}, Caffe's, which the paper used). */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /**
         * Learning-rate schedule: a linear warm-up from {@code η/W} to η over the first {@code warmupEpochs}
         * epochs (W = their iterations), then cosine decay to {@code finalFraction·η} at the last iteration
         * ({@link WarmupCosineSchedule}). {@code (0, 1)} is a constant rate, the default.
         *
         * @param warmupEpochs  epochs of warm-up (≥ 0)
         * @param finalFraction the rate at the end as a fraction of η, in [0, 1]; 1 = no decay
         */
        public Builder warmupCosine(int warmupEpochs, double finalFraction) {
            this.warmupEpochs = warmupEpochs;
            this.finalLearningRateFraction = finalFraction;
            return this;
        }

        /**
         * After every epoch, write the whole training state into {@code file} (atomically; see
         * {@link TrainingCheckpoint}), so that {@link MultiLabelTrainer#resume} can continue an interrupted run.
         * Null (the default) writes nothing.
         */
        public Builder resumableCheckpoint(Path file) {
            this.resumableCheckpoint = file;
            return this;
        }

        /**
         * Mirror each training image left to right with probability 1/2, drawn per image and step from the epoch's
         * stream (default off, as in the paper; beyond it, a standard augmentation for classifiers trained from
         * scratch).
         */
        public Builder horizontalFlip(boolean flip) {
            this.horizontalFlip = flip;
            return this;
        }

        /** Adds a progress listener. */
        public Builder listener(TrainingListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first bad field and its value
         */
        public MultiLabelTrainer build() {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, found " + epochs);
            }
            if (maxIterations < 0) {
                throw new IllegalArgumentException("maxIterations must be >= 0 (0 = no limit), found " + maxIterations);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
            }
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be > 0 and finite, found " + learningRate);
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), found " + momentum);
            }
            if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
                throw new IllegalArgumentException("weightDecay must be >= 0 and finite, found " + weightDecay);
            }
            if (headOnlyIterations < 0) {
                throw new IllegalArgumentException("headOnlyIterations must be >= 0, found " + headOnlyIterations);
            }
            if (!(dropoutRetain > 0 && dropoutRetain <= 1)) {
                throw new IllegalArgumentException("dropoutRetain must be in (0, 1], found " + dropoutRetain);
            }
            if (averagePoolingEpochs < 0 || maxPoolingFromEpoch < averagePoolingEpochs) {
                throw new IllegalArgumentException("poolingRamp needs 0 <= averageEpochs <= maxFromEpoch, found ("
                        + averagePoolingEpochs + ", " + maxPoolingFromEpoch + ")");
            }
            if (!(minScale > 0) || !(maxScale >= minScale) || !Double.isFinite(maxScale)) {
                throw new IllegalArgumentException("scaleRange needs 0 < min <= max, found (" + minScale + ", " + maxScale
                        + ")");
            }
            if (longestSide < 0) {
                throw new IllegalArgumentException("longestSide must be >= 0 (0 = keep), found " + longestSide);
            }
            if (checkpointEvery < 0) {
                throw new IllegalArgumentException("checkpoint interval must be >= 0 epochs, found " + checkpointEvery);
            }
            if (warmupEpochs < 0 || warmupEpochs > epochs && epochs != Integer.MAX_VALUE) {
                throw new IllegalArgumentException("warmupEpochs must be in 0..epochs (" + epochs + "), found "
                        + warmupEpochs);
            }
            if (!(finalLearningRateFraction >= 0 && finalLearningRateFraction <= 1)) {
                throw new IllegalArgumentException("the final learning-rate fraction must be in [0, 1], found "
                        + finalLearningRateFraction);
            }
            if (optimizer == Optimizer.ADAMW && momentum == 0) {
                throw new IllegalArgumentException("AdamW takes momentum as beta1, which must be in (0, 1); found 0");
            }
            if (checkpointEvery > 0 && checkpointDir == null) {
                throw new IllegalArgumentException("checkpoint directory must be given when checkpointing every "
                        + checkpointEvery + " epochs");
            }
            return new MultiLabelTrainer(this);
        }
    }
}
