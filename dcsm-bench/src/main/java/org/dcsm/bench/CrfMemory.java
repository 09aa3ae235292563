package org.dcsm.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;

import org.dcsm.crf.CrfInput;
import org.dcsm.crf.CrfSession;
import org.dcsm.crf.DenseCrf;

/**
 * Peak Java-heap use of one paper-CRF inference: {@code java -Xmx300m -cp dcsm-bench/target/benchmarks.jar
 * org.dcsm.bench.CrfMemory [width height labels threads]}. Builds the input, runs one warm-up inference,
 * collects garbage, resets the heap pools' peak counters, runs one more inference, and prints the summed
 * peak usage of the heap pools minus the heap in use before it (the inference's own peak, input excluded),
 * the bytes the calling thread allocated during it, and the lattice bytes the session reports. Running
 * under {@code -Xmx300m} without an OutOfMemoryError is the hard check. The dcsm-crf loops allocate no
 * off-heap (ND4J) memory beyond the input and output tensors.
 */
public final class CrfMemory {

    private CrfMemory() {
    }

    public static void main(String[] args) {
        int w = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int h = args.length > 1 ? Integer.parseInt(args[1]) : 375;
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 21;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        CrfInput input = CrfScenes.scene(w, h, m, 42);
        DenseCrf crf = DenseCrf.paper().toBuilder().threads(threads).build();
        crf.infer(input);
        System.gc();
        long before = heapUsed();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long alloc0 = mx.getCurrentThreadAllocatedBytes();
        long latticeBytes;
        try (CrfSession s = crf.start(input)) {
            s.run();
            s.labels();
            latticeBytes = s.latticeBytes();
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - alloc0;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(Locale.ROOT, "%dx%d labels=%d threads=%d max heap %.0f MB: heap in use before %.1f MB, "
                        + "peak heap during inference %.1f MB (%.1f MB above before), allocated by the calling thread "
                        + "%.1f MB, lattices %.1f MB%n", w, h, m, threads,
                Runtime.getRuntime().maxMemory() / 1e6, before / 1e6, peak / 1e6, (peak - before) / 1e6,
                allocated / 1e6, latticeBytes / 1e6);
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }
}
