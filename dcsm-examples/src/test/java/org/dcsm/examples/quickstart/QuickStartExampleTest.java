package org.dcsm.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class QuickStartExampleTest {

    private final ClassList classes = ClassList.of("background", "a", "b", "c", "d");
    private final FcnModel model = FcnModel.initialise(SmallVggFcn.builder().build(), classes, 7L);

    /** A seeded random 40×48 RGB image. */
    private static INDArray image() {
        Nd4j.getRandom().setSeed(3);
        return Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 40, 48).muli(255);
    }

    @Test
    void segmentsAnImageAtItsOwnSizeWithCandidateOrBackgroundLabels() {
        INDArray rgb = image();

        LabelMap labels = QuickStartExample.segment(model, rgb, "conv4_1", "conv5_1");

        assertThat(labels.width()).isEqualTo(48);
        assertThat(labels.height()).isEqualTo(40);
        // an untrained net still yields >= 3 candidates (minCandidates); every label is background or one of them
        assertThat(Arrays.stream(labels.distinctIds()).allMatch(id -> id >= 0 && id < classes.size())).isTrue();
    }

    @Test
    void theReadmesOneCallPipelineGivesTheSameLabels() {
        INDArray rgb = image();
        org.dcsm.backprop.saliency.SaliencyExtractor extractor = org.dcsm.backprop.saliency.SaliencyExtractor
                .forNetwork(model.network()).layers("conv4_1", "conv5_1").guided(true).candidateThreshold(0.5)
                .minCandidates(3).build();

        LabelMap oneCall = QuickStartExample.pipeline(extractor).segment(rgb).labels();

        assertThat(oneCall.toArray()).containsExactly(QuickStartExample.segment(model, rgb, "conv4_1", "conv5_1")
                .toArray());
    }
}
