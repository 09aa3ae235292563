package org.dcsm.bench.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bytedeco.javacpp.Pointer;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.backprop.train.EpochSummary;
import org.dcsm.backprop.train.LabeledImage;
import org.dcsm.backprop.train.MultiLabelTrainer;
import org.dcsm.backprop.train.TrainingListener;
import org.dcsm.core.ClassList;

/**
 * Resident memory of a training run, epoch by epoch: {@link MultiLabelTrainer#fromScratch()} on the small
 * FCN, {@code args[0]} seeded random 96×96 images (default 160), batch {@code args[1]} (default 8),
 * {@code args[2]} epochs (default 6), a random rescale per batch between {@code args[3]} and {@code args[4]}
 * (default 0.7 and 1.4, the preset's; 1 1 keeps every canvas at 96 px), 10 classes. After every epoch it prints the resident size (VmRSS), the peak
 * so far (VmHWM), the Java heap's committed size, the native bytes JavaCPP tracks, the epoch's time and images/s
 * and the mean loss. Run it under a limit to check it, e.g.
 * {@code java -Xmx1g -Dorg.bytedeco.javacpp.maxphysicalbytes=2G -cp benchmarks.jar
 * org.dcsm.bench.train.TrainMemoryCheck}: ND4J refuses an allocation that would take the process over
 * {@code maxphysicalbytes}.
 */
public final class TrainMemoryCheck {

    private TrainMemoryCheck() {
    }

    public static void main(String[] args) {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 160;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        double minScale = args.length > 3 ? Double.parseDouble(args[3]) : 0.7;
        double maxScale = args.length > 4 ? Double.parseDouble(args[4]) : 1.4;
        List<LabeledImage> data = TrainStepBenchmark.images(images, 96, 11);
        System.out.printf("images=%d batch=%d epochs=%d scale=%.2f-%.2f heap_max_mb=%d javacpp_maxphysicalbytes_mb=%d "
                + "rss_start_mb=%d%n", images, batch, epochs, minScale, maxScale, Runtime.getRuntime().maxMemory() >> 20,
                Pointer.maxPhysicalBytes() >> 20, status("VmRSS:") >> 10);
        MultiLabelTrainer trainer = MultiLabelTrainer.fromScratch().toBuilder().batchSize(batch).epochs(epochs)
                .scaleRange(minScale, maxScale)
                .learningRate(0.01).listener(new TrainingListener() {
                    @Override
                    public void epochDone(EpochSummary s) {
                        System.out.printf("epoch=%d seconds=%.1f images_per_s=%.1f loss=%.6f rss_mb=%d peak_rss_mb=%d "
                                + "heap_committed_mb=%d javacpp_bytes_mb=%d%n", s.epoch(), s.seconds(),
                                images / s.seconds(), s.meanLoss(), status("VmRSS:") >> 10, status("VmHWM:") >> 10,
                                Runtime.getRuntime().totalMemory() >> 20, Pointer.totalBytes() >> 20);
                    }
                }).build();
        trainer.train(SmallVggFcn.architecture(), ClassList.of(TrainStepBenchmark.names()), data, null);
        System.out.printf("done peak_rss_mb=%d%n", status("VmHWM:") >> 10);
    }

    private static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
