package org.dcsm.bench.backprop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.bytedeco.javacpp.Pointer;
import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.backprop.net.Vgg16Fcn;
import org.dcsm.core.ClassList;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.dcsm.core.pipeline.Segmentation;
import org.dcsm.pipeline.DcsmPipelines;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Resident memory of whole DCSM segmentations ({@link DcsmPipelines#paper}: blocks 3-5, scales 0.8/1/1.2 of the
 * image's longest side, Eq. 4-7, the paper's CRF) on a random-weight VGG-16 FCN with the 20 VOC classes: the memory
 * does not depend on the weights' values, only on the candidate count, which is printed. Arguments: width (default
 * 500), height (default 375), repetitions (default 1), {@code vgg16} or {@code small}. Run it without any JavaCPP
 * limit to see what the process takes on its own, e.g.
 * {@code /usr/bin/time -v java -cp dcsm-bench/target/benchmarks.jar org.dcsm.bench.backprop.SegmentMemoryCheck 500 375}.
 * Prints, per segmentation, the process's peak resident size so far (VmHWM), its resident size after the call, and
 * the Java heap's committed and used size then.
 */
public final class SegmentMemoryCheck {

    private SegmentMemoryCheck() {
    }

    public static void main(String[] args) throws IOException {
        int width = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int height = args.length > 1 ? Integer.parseInt(args[1]) : 375;
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        boolean small = args.length > 3 && args[3].equals("small");
        FcnModel model = FcnModel.initialise(small ? SmallVggFcn.architecture() : Vgg16Fcn.architecture(),
                ClassList.voc(), 1);
        DcsmPipeline dcsm = DcsmPipelines.paper(model);
        org.nd4j.linalg.api.rng.Random rng = Nd4j.getRandomFactory().getNewRandomInstance(7);
        INDArray rgb = Nd4j.rand(rng, 3, height, width).muli(255);
        long before = statusKb("VmRSS:");
        System.out.printf(Locale.ROOT, "net=%s image=%dx%d (WxH) rss_before_mb=%d heap_max_mb=%d "
                        + "javacpp_maxbytes_mb=%d javacpp_maxphysicalbytes_mb=%d load=%s%n", small ? "small" : "vgg16",
                width, height, before / 1024, Runtime.getRuntime().maxMemory() >> 20, Pointer.maxBytes() >> 20,
                Pointer.maxPhysicalBytes() >> 20, Files.readString(Path.of("/proc/loadavg")).trim());
        for (int i = 0; i < repetitions; i++) {
            long t = System.nanoTime();
            Segmentation s = dcsm.segment(rgb);
            double seconds = (System.nanoTime() - t) / 1e9;
            Runtime rt = Runtime.getRuntime();
            System.out.printf(Locale.ROOT, "run=%d candidates=%d time_s=%.1f peak_rss_mb=%d rss_after_mb=%d "
                            + "heap_committed_mb=%d heap_used_mb=%d%n", i + 1, s.candidates().size(), seconds,
                    statusKb("VmHWM:") / 1024, statusKb("VmRSS:") / 1024, rt.totalMemory() >> 20,
                    (rt.totalMemory() - rt.freeMemory()) >> 20);
        }
    }

    private static long statusKb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
