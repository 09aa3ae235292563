package org.dcsm.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.dcsm.core.io.ImageFiles;
import org.dcsm.core.io.ImageLoader;
import org.dcsm.core.io.Images;
import org.dcsm.pipeline.DcsmPipelines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class QuickStartExampleTest {

    private final ClassList classes = ClassList.of("background", "a", "b", "c", "d");
    private final FcnModel model = FcnModel.initialise(SmallVggFcn.architecture(), classes, 7L);

    /** A seeded random 40×48 RGB image with whole values (as a PNG stores them). */
    private static INDArray image() {
        Nd4j.getRandom().setSeed(3);
        return Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 40, 48).muli(255).castTo(
                org.nd4j.linalg.api.buffer.DataType.INT32).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }

    @Test
    void theThreeLinesSegmentAFileWithThePapersPipeline(@TempDir Path dir) throws IOException {
        model.save(dir.resolve("model"));
        INDArray rgb = image();
        ImageFiles.writePng(Images.toBufferedImage(rgb), dir.resolve("image.png"));

        LabelMap labels = QuickStartExample.segment(dir.resolve("model"), dir.resolve("image.png"));

        assertThat(labels.width()).isEqualTo(48);
        assertThat(labels.height()).isEqualTo(40);
        assertThat(Arrays.stream(labels.distinctIds()).allMatch(id -> id >= 0 && id < classes.size())).isTrue();
        LabelMap same = DcsmPipelines.paper(FcnModel.load(dir.resolve("model")))
                .segment(ImageLoader.defaults().read(dir.resolve("image.png"))).labels();
        assertThat(labels.toArray()).containsExactly(same.toArray());
    }

    @Test
    void stepByStepSegmentsAnImageAtItsOwnSizeWithCandidateOrBackgroundLabels() {
        INDArray rgb = image();

        LabelMap labels = QuickStartExample.stepByStep(model, rgb, "conv4_1", "conv5_1");

        assertThat(labels.width()).isEqualTo(48);
        assertThat(labels.height()).isEqualTo(40);
        // an untrained net still yields >= 3 candidates (minCandidates); every label is background or one of them
        assertThat(Arrays.stream(labels.distinctIds()).allMatch(id -> id >= 0 && id < classes.size())).isTrue();
    }
}
