package org.dcsm.bench.train;

import java.util.List;

import org.dcsm.backprop.train.LabeledImage;
import org.dcsm.backprop.train.MultiLabelTrainer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * Where a training step's time goes, per libnd4j op: runs {@link TrainStepBenchmark}'s step ({@code net size batch
 * [steps]}, default {@code vgg16 320 2 1}) once to warm up, then {@code steps} more with ND4J's {@link OpProfiler}
 * timing every op, and prints its dashboard (count and time per op). The profiler's own bookkeeping slows the step; the
 * shares, not the total, are what it is for. Compare with {@code train_torch.py --profile}.
 *
 * <p>{@code java -Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2 -cp dcsm-bench/target/benchmarks.jar
 * org.dcsm.bench.train.TrainStepProfile vgg16 320 2 1}
 */
public final class TrainStepProfile {

    private TrainStepProfile() {
    }

    public static void main(String[] args) {
        String net = args.length > 0 ? args[0] : "vgg16";
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 320;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        List<LabeledImage> images = TrainStepBenchmark.images(batch, size, 3);
        try (MultiLabelTrainer.Session session = TrainStepBenchmark.session(net, "sgd")) {
            double p = TrainStepBenchmark.poolingWeight(net);
            long t0 = System.nanoTime();
            session.step(images, 1.0, p);
            System.out.printf("warm-up step: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            session.step(images, 1.0, p);
            System.out.printf("step without the profiler: %.2f s%n", (System.nanoTime() - t0) / 1e9);
            Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
            OpProfiler.getInstance().reset();
            t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                session.step(images, 1.0, p);
            }
            System.out.printf("%d profiled step(s): %.2f s%n", steps, (System.nanoTime() - t0) / 1e9);
            OpProfiler.getInstance().printOutDashboard();
        }
    }
}
