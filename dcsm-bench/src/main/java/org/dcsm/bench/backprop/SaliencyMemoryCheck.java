package org.dcsm.bench.backprop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.javacpp.Pointer;
import org.dcsm.backprop.saliency.SaliencyExtractor;
import org.dcsm.backprop.saliency.SaliencyResult;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Peak memory of one saliency extraction: VGG-16 FCN (random weights), a square image of
 * {@code args[0]} pixels (default 600), {@code args[1]} candidates (default 4), the nine layers of
 * blocks 3-5 ({@code args[2]} = {@code small}: the small FCN instead). Run it under the limits to check, e.g.
 * {@code java -Xmx1g -Dorg.bytedeco.javacpp.maxbytes=3G -Dorg.bytedeco.javacpp.maxphysicalbytes=4G
 * -cp benchmarks.jar org.dcsm.bench.backprop.SaliencyMemoryCheck 600 4}: ND4J refuses an allocation
 * that would take the process over {@code maxphysicalbytes}. Prints the process's peak resident size
 * (VmHWM), its resident size before the extraction (network and image built), the library's estimate
 * ({@link SaliencyExtractor#estimateBytes}) and the limits it ran under.
 */
public final class SaliencyMemoryCheck {

    private SaliencyMemoryCheck() {
    }

    public static void main(String[] args) throws IOException {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int candidates = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        boolean small = args.length > 2 && args[2].equals("small");
        MultiLayerNetwork net = small ? BenchNets.smallFcn(20, 1) : BenchNets.vgg16Fcn(20, 1);
        SaliencyExtractor extractor = SaliencyExtractor.forNetwork(net).layers(SaliencyExtractor.PAPER_LAYERS).build();
        INDArray image = BenchNets.image(3, size, size);
        int[] ids = new int[candidates];
        for (int i = 0; i < candidates; i++) {
            ids[i] = i + 1;
        }
        long before = statusKb("VmRSS:");
        long estimate = extractor.estimateBytes(size, size, candidates);
        long t = System.nanoTime();
        SaliencyResult r = extractor.extract(image, ids);
        double seconds = (System.nanoTime() - t) / 1e9;
        long peak = statusKb("VmHWM:");
        System.out.printf("net=%s size=%d candidates=%d entries=%d time_s=%.2f rss_before_mb=%d peak_rss_mb=%d "
                        + "growth_mb=%d estimate_mb=%d heap_max_mb=%d javacpp_maxbytes_mb=%d "
                        + "javacpp_maxphysicalbytes_mb=%d%n", small ? "small" : "vgg16", size, candidates,
                r.maps().entries().size(), seconds, before / 1024, peak / 1024, (peak - before) / 1024,
                estimate >> 20, Runtime.getRuntime().maxMemory() >> 20, Pointer.maxBytes() >> 20,
                Pointer.maxPhysicalBytes() >> 20);
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
