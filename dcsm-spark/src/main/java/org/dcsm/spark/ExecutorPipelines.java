package org.dcsm.spark;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.util.TaskFailureListener;
import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.pipeline.MemoryBudget;
import org.dcsm.pipeline.CrfTuning;
import org.dcsm.pipeline.ItemCost;
import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodRunner;
import org.dcsm.pipeline.MethodSettings;

/**
 * The pipelines of one executor JVM. A {@link MethodRunner} holds a DL4J network, which one thread may use at a
 * time; Spark runs several tasks at once in an executor (one per core). So each JVM keeps, per model and settings,
 * a pool of workers: a task borrows one for its whole partition and gives it back when the task ends, and a worker
 * is built (model loaded from the broadcast bytes, pipelines assembled) only when every existing one is in use. A JVM
 * running {@code k} tasks at once therefore builds at most {@code k} workers per job, once, and reuses them for every
 * later partition and job with the same model and settings. A worker whose task failed is dropped, not reused.
 * {@link DcsmSpark#tuneCrf}'s samplers ({@link TuneWorker}) are pooled the same way, under their own keys.
 *
 * <p>Thread-safe (concurrent map and deques); a worker is confined to the task that borrowed it.
 */
final class ExecutorPipelines {

    /** A model's pipelines and memory estimate, for one thread at a time. */
    record Worker(FcnModel model, MethodRunner runner, ItemCost cost) {
    }

    /**
     * What {@link DcsmSpark#tuneCrf}'s first stage uses: a method's tuning sampler (its pipeline, a DL4J network)
     * and memory estimate, for one thread at a time.
     */
    record TuneWorker(FcnModel model, CrfTuning.Sampler sampler, ItemCost cost) {
    }

    /** Builds a pooled object. */
    @FunctionalInterface
    interface Factory<T> {
        T build() throws IOException;
    }

    private static final ConcurrentHashMap<String, ConcurrentLinkedDeque<Object>> IDLE = new ConcurrentHashMap<>();
    private static final AtomicInteger BUILT = new AtomicInteger();

    private ExecutorPipelines() {
    }

    /**
     * An idle worker for this model and these settings, or a new one.
     *
     * @param slots tasks that may run at once in this JVM: each worker's memory budget is this process's budget
     *              ({@link MemoryBudget#ofProcess()}) divided by it
     */
    static Worker borrow(ModelBundle bundle, SegmentSettings settings, Set<Method> methods, int slots)
            throws IOException {
        return borrow(key(bundle, settings, methods), Worker.class, () -> {
            FcnModel model = bundle.load();
            MethodRunner runner = MethodRunner.of(model, settings.settings(), settings.baseline(), methods);
            ItemCost cost = ItemCost.of(model, settings.settings(), settings.baseline(), EnumSet.copyOf(methods),
                    share(slots));
            return new Worker(model, runner, cost);
        });
    }

    /**
     * {@link #borrow} for the running Spark task (when there is one): the worker goes back to the pool when the task
     * succeeds, and is dropped when it fails (its network may be mid-computation).
     */
    static Worker borrowForTask(ModelBundle bundle, SegmentSettings settings, Set<Method> methods, int slots)
            throws IOException {
        return forTask(key(bundle, settings, methods), borrow(bundle, settings, methods, slots));
    }

    /**
     * A tuning worker of {@code method} for the running task, pooled as {@link #borrowForTask} pools workers (per
     * model, settings and alphas).
     */
    static TuneWorker borrowTunerForTask(ModelBundle bundle, SegmentSettings settings, Method method,
                                         List<Double> alphas, int slots) throws IOException {
        MethodSettings s = settings.settingsOf(method);
        String key = "tune|" + method + '|' + alphas + '|' + key(bundle, settings, EnumSet.of(method));
        return forTask(key, borrow(key, TuneWorker.class, () -> {
            FcnModel model = bundle.load();
            ItemCost cost = ItemCost.of(model, settings.settings(), settings.baseline(), EnumSet.of(method),
                    share(slots));
            return new TuneWorker(model, CrfTuning.sampler(model, method, s, alphas), cost);
        }));
    }

    private static <T> T borrow(String key, Class<T> type, Factory<T> factory) throws IOException {
        Object idle = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (idle != null) {
            return type.cast(idle);
        }
        T built = factory.build();
        BUILT.incrementAndGet();
        return built;
    }

    /** Gives {@code pooled} back to the pool of {@code key} when the running task succeeds. */
    private static <T> T forTask(String key, T pooled) {
        TaskContext task = TaskContext.get();
        if (task != null) {
            boolean[] failed = {false};
            task.addTaskFailureListener((TaskFailureListener) (ctx, error) -> failed[0] = true);
            task.addTaskCompletionListener((TaskCompletionListener) ctx -> {
                if (!failed[0]) {
                    IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).addFirst(pooled);
                }
            });
        }
        return pooled;
    }

    /** A task's share of this process's memory budget. */
    private static MemoryBudget share(int slots) {
        MemoryBudget process = MemoryBudget.ofProcess();
        return MemoryBudget.of(process.bytes() / Math.max(1, slots),
                process.source() + " / " + slots + " concurrent task" + (slots == 1 ? "" : "s"));
    }

    /** Workers built in this JVM so far (for tests and logs). */
    static int built() {
        return BUILT.get();
    }

    /** Drops every idle worker (tests; frees the networks). */
    static void clear() {
        IDLE.clear();
    }

    private static String key(ModelBundle bundle, SegmentSettings s, Set<Method> methods) {
        return bundle.digest() + '|' + EnumSet.copyOf(methods) + '|' + s.settings().hashCode() + '|'
                + s.settings() + '|' + s.baseline().hashCode() + '|' + s.baseline();
    }
}
