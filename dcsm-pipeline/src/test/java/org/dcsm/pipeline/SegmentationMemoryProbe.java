package org.dcsm.pipeline;

import java.lang.management.ManagementFactory;

import com.sun.management.ThreadMXBean;

import org.bytedeco.javacpp.Pointer;
import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.core.ClassList;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The process {@link SegmentationMemoryTest} starts: {@code args[0]} segmentations of one 48×48 image after five
 * unmeasured ones, then one line {@code resident_growth_bytes=N calls=M candidates=C heap_per_call=B} on standard
 * output: the resident size after the last call minus after the warm-up (JavaCPP's {@link Pointer#physicalBytes()}),
 * and the Java heap this thread allocated per call (what sizes the probe's heap).
 *
 * <p>DCSM with the derivatives of block 1 (conv1_1, conv1_2) at the image's own size: the backward walk then runs
 * through every layer down to the input's resolution, where an array left open costs the most, while the maps
 * (the Java heap's share) stay small. Weights and image are seeded.
 */
public final class SegmentationMemoryProbe {

    private SegmentationMemoryProbe() {
    }

    public static void main(String[] args) {
        int calls = Integer.parseInt(args[0]);
        FcnModel model = FcnModel.initialise(SmallVggFcn.architecture(8, 16, 16, 32, 32),
                ClassList.of("background", "a", "b", "c", "d"), 11L);
        DcsmPipeline dcsm = DcsmPipelines.from(model, MethodSettings.paper(new int[] {48}, 1).withBlocks(1));
        Nd4j.getRandom().setSeed(5);
        INDArray rgb = Nd4j.rand(DataType.FLOAT, 3, 48, 48).muli(255);
        for (int i = 0; i < 5; i++) {
            dcsm.segment(rgb);
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long heapStart = threads.getCurrentThreadAllocatedBytes();
        long start = Pointer.physicalBytes();
        int candidates = 0;
        for (int i = 0; i < calls; i++) {
            candidates = dcsm.segment(rgb).candidates().size();
        }
        System.out.println("resident_growth_bytes=" + (Pointer.physicalBytes() - start) + " calls=" + calls
                + " candidates=" + candidates + " heap_per_call=" + (threads.getCurrentThreadAllocatedBytes() - heapStart) / calls);
    }
}
