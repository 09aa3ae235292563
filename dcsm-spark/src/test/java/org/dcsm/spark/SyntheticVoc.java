package org.dcsm.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.backprop.net.VggStyleFcn;
import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.dcsm.core.voc.VocDatasetWriter;
import org.dcsm.pipeline.MethodSettings;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test data: a seeded VOC-layout folder of small scenes (noise, one or two coloured rectangles of distinct classes,
 * masks with a void border) written by the library's {@link VocDatasetWriter}, and a random-initialised tiny FCN:
 * where only equality with the single-machine path matters, an untrained model exercises every step.
 */
final class SyntheticVoc {

    static final ClassList CLASSES = ClassList.of("background", "red", "green", "blue");
    static final VggStyleFcn TINY = SmallVggFcn.architecture().toBuilder()
            .name("Tiny").blockWidths(4, 8).blockDepths(1, 1).fc6Width(8).fc6Kernel(1).fc6Padding(0).fc7Width(8)
            .build();
    private static final int[][] COLOURS = {{}, {200, 40, 40}, {40, 200, 40}, {40, 40, 200}};

    private SyntheticVoc() {
    }

    /** DCSM's settings for the tiny model: its two blocks, the images at their own size, one thread. */
    static MethodSettings settings() {
        return MethodSettings.paper(new int[0], 1).withBlocks(1, 2);
    }

    static FcnModel model() {
        return FcnModel.initialise(TINY, CLASSES, 7);
    }

    /** Writes {@code n} scenes of {@code w×h} into split {@code val} of {@code root}. */
    static void write(Path root, int n, int w, int h, long seed) throws IOException {
        Random random = new Random(seed);
        try (VocDatasetWriter out = VocDatasetWriter.create(root, CLASSES)) {
            for (int i = 0; i < n; i++) {
                float[] rgb = new float[3 * h * w];
                int[] mask = new int[h * w];
                for (int k = 0; k < rgb.length; k++) {
                    rgb[k] = 90 + random.nextInt(60);
                }
                int objects = 1 + random.nextInt(2);
                for (int o = 0; o < objects; o++) {
                    int c = 1 + (i + o) % 3;
                    int x0 = random.nextInt(w / 2);
                    int y0 = random.nextInt(h / 2);
                    int x1 = x0 + w / 4 + random.nextInt(w / 3);
                    int y1 = y0 + h / 4 + random.nextInt(h / 3);
                    for (int y = y0; y < Math.min(h, y1); y++) {
                        for (int x = x0; x < Math.min(w, x1); x++) {
                            for (int ch = 0; ch < 3; ch++) {
                                rgb[(ch * h + y) * w + x] = COLOURS[c][ch] + random.nextInt(20);
                            }
                            boolean border = y == y0 || x == x0 || y == y1 - 1 || x == x1 - 1;
                            mask[y * w + x] = border ? LabelMap.VOID : c;
                        }
                    }
                }
                INDArray image = Nd4j.create(rgb, new long[] {3, h, w});
                out.add("val", String.format("img%03d", i), image, LabelMap.of(w, h, mask));
            }
        }
    }
}
