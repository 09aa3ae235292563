package org.dcsm.backprop.train;

import java.util.Map;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * SGD with classical ("heavy ball") momentum as in Caffe, which the paper trained with:
 * {@code v ← μ·v + η·g; θ ← θ − v}. DL4J ships only Nesterov momentum ({@code Nesterovs}); this updater
 * plugs Caffe's rule into DL4J's updater machinery (weight decay is added to g before, as Caffe does).
 * The rate η may follow an {@link ISchedule} (e.g. {@link WarmupCosineSchedule}). One state value (v) per
 * parameter. Has a public no-argument constructor and bean accessors so that DL4J
 * can serialise configurations holding it.
 */
public final class ClassicalMomentum implements IUpdater {

    private static final long serialVersionUID = 1L;
    /** Key of the velocity in the state map. */
    public static final String VELOCITY = "V";

    private double learningRate;
    private double momentum;
    private ISchedule learningRateSchedule;

    /** For serialisation: learning rate 0.01, momentum 0.9. */
    public ClassicalMomentum() {
        this(0.01, 0.9);
    }

    /**
     * @param learningRate η &gt; 0
     * @param momentum     μ in [0, 1)
     */
    public ClassicalMomentum(double learningRate, double momentum) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be > 0 and finite, found " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), found " + momentum);
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    /**
     * @param learningRateSchedule η by iteration (replaces the fixed rate; may be null for a fixed η)
     * @param momentum             μ in [0, 1)
     */
    public ClassicalMomentum(ISchedule learningRateSchedule, double momentum) {
        this(learningRateSchedule == null ? 0.01 : learningRateSchedule.valueAt(0, 0), momentum);
        this.learningRateSchedule = learningRateSchedule;
    }

    /** η. */
    public double getLearningRate() {
        return learningRate;
    }

    /** Sets η (bean accessor for serialisation). */
    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    /** μ. */
    public double getMomentum() {
        return momentum;
    }

    /** Sets μ (bean accessor for serialisation). */
    public void setMomentum(double momentum) {
        this.momentum = momentum;
    }

    /** η by iteration, or null for the fixed {@link #getLearningRate()}. */
    public ISchedule getLearningRateSchedule() {
        return learningRateSchedule;
    }

    /** Sets the schedule (bean accessor for serialisation). */
    public void setLearningRateSchedule(ISchedule learningRateSchedule) {
        this.learningRateSchedule = learningRateSchedule;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater<ClassicalMomentum> instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater u = new Updater(this);
        u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater<ClassicalMomentum> instantiate(Map<String, INDArray> updaterState,
            boolean initializeStateArrays) {
        Updater u = new Updater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public ClassicalMomentum clone() {
        ClassicalMomentum c = new ClassicalMomentum(learningRate, momentum);
        c.learningRateSchedule = learningRateSchedule == null ? null : learningRateSchedule.clone();
        return c;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule == null ? learningRate : learningRateSchedule.valueAt(iteration, epoch);
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassicalMomentum c && c.learningRate == learningRate && c.momentum == momentum
                && Objects.equals(c.learningRateSchedule, learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, momentum, learningRateSchedule);
    }

    @Override
    public String toString() {
        return "ClassicalMomentum(lr=" + (learningRateSchedule == null ? learningRate : learningRateSchedule)
                + ", momentum=" + momentum + ")";
    }

    /** The per-block state: the velocity v, a view of DL4J's updater state array. */
    static final class Updater implements GradientUpdater<ClassicalMomentum> {
        private final ClassicalMomentum config;
        private INDArray v;

        Updater(ClassicalMomentum config) {
            this.config = config;
        }

        @Override
        public ClassicalMomentum getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> stateMap, boolean initialize) {
            INDArray state = stateMap.get(VELOCITY);
            if (state == null) {
                throw new IllegalArgumentException("updater state has no '" + VELOCITY + "' entry: " + stateMap.keySet());
            }
            this.v = state;
            if (initialize) {
                v.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of(VELOCITY, v);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
            if (!viewArray.isRowVectorOrScalar() && viewArray.rank() > 2) {
                throw new IllegalArgumentException("state view must be a vector, found rank " + viewArray.rank());
            }
            this.v = viewArray.reshape(gradientOrder, gradientShape);
            if (initialize) {
                viewArray.assign(0);
            }
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (v == null) {
                throw new IllegalStateException("updater state not set");
            }
            // v = mu * v + lr * g ; the step applied by DL4J is params -= v
            v.muli(config.momentum).addi(gradient.mul(config.getLearningRate(iteration, epoch)));
            gradient.assign(v);
        }
    }
}
