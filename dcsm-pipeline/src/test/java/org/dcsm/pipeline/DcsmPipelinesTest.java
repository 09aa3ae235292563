package org.dcsm.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.core.ClassList;
import org.dcsm.core.pipeline.Segmentation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DcsmPipelinesTest {

    private final FcnModel model = FcnModel.initialise(SmallVggFcn.architecture(),
            ClassList.of("background", "a", "b", "c", "d"), 7L);

    @Test
    void paperIsFromWithThePapersSettings() {
        Nd4j.getRandom().setSeed(3);
        INDArray rgb = Nd4j.rand(DataType.FLOAT, 3, 40, 48).muli(255);
        Segmentation paper = DcsmPipelines.paper(model).segment(rgb);
        Segmentation from = DcsmPipelines.from(model, MethodSettings.paper(2)).segment(rgb);
        assertThat(paper.labels().toArray()).containsExactly(from.labels().toArray()); // any thread count
        assertThat(paper.unrefinedLabels().toArray()).containsExactly(from.unrefinedLabels().toArray());
        assertThat(paper.candidates()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(paper.labels().width()).isEqualTo(48);
        assertThat(paper.labels().height()).isEqualTo(40);
    }

    @Test
    void blocksAreCheckedAgainstTheModel() {
        assertThat(DcsmPipelines.layersOfBlocks(model, 4, 5)).allMatch(n -> n.startsWith("conv4_")
                || n.startsWith("conv5_"));
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> DcsmPipelines.from(model, MethodSettings.paper(1).withBlocks(6))).getMessage())
                .startsWith("Block 6 does not exist: the model has 5 blocks");
    }
}
