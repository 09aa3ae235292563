package org.dcsm.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.backprop.saliency.SaliencyExtractor;
import org.dcsm.backprop.saliency.SaliencyResult;
import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMapSubtractor;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.MultiScaleAggregator;
import org.dcsm.core.Unary;
import org.dcsm.core.pipeline.Candidate;
import org.dcsm.core.pipeline.Segmentation;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.UnaryEnergies;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Class ids travel with the data from the saliency extractor to the label map: a model whose only candidates are
 * classes 12 and 15 segments into ids 0, 12 and 15, never into the channel indices 0, 1, 2 of the unary.
 */
class ClassIdsTravelTest {

    /** Background and 20 classes (ids 1..20), as VOC; fc8's biases make 12 and 15 the only candidates (p ≈ 1). */
    private static FcnModel model() {
        String[] names = new String[21];
        names[0] = "background";
        for (int i = 1; i < names.length; i++) {
            names[i] = "class" + i;
        }
        FcnModel model = FcnModel.initialise(SmallVggFcn.architecture(), ClassList.of(names), 11L);
        model.network().getLayer("fc8").getParam("W").muli(1e-4); // the untrained scores are then ~ the biases
        INDArray b = model.network().getLayer("fc8").getParam("b");
        b.assign(-20);
        b.putScalar(12 - 1, 20); // fc8 channel k scores class id k + 1
        b.putScalar(15 - 1, 20);
        return model;
    }

    /** A seeded 40×48 RGB image, 0..255. */
    private static INDArray image() {
        Nd4j.getRandom().setSeed(5);
        return Nd4j.rand(DataType.FLOAT, 3, 40, 48).muli(255);
    }

    private static final int[] IDS = {0, 12, 15};

    private static void assertOnlyIds(LabelMap labels) {
        assertThat(labels.distinctIds()).isNotEmpty();
        assertThat(Arrays.stream(labels.distinctIds()).allMatch(id -> id == 0 || id == 12 || id == 15))
                .as("ids %s", Arrays.toString(labels.distinctIds())).isTrue();
    }

    @Test
    void idsSurviveThePipelineFromTheFacade() {
        FcnModel model = model();
        Segmentation s = DcsmPipelines.from(model, MethodSettings.paper(1).withMinCandidates(0)).segment(image());

        assertThat(s.candidates()).extracting(Candidate::classId).containsExactly(12, 15);
        assertThat(s.beforeRefinement().classIds()).containsExactly(IDS);
        assertOnlyIds(s.unrefinedLabels());
        assertOnlyIds(s.labels());
        assertThat(s.labels().distinctIds()).containsAnyOf(12, 15);
    }

    @Test
    void idsSurviveEachPublicStep() {
        FcnModel model = model();
        INDArray rgb = image();
        SaliencyExtractor extractor = SaliencyExtractor.forNetwork(model.network())
                .layers(DcsmPipelines.layersOfBlocks(model, 4, 5)).minCandidates(0).build();
        SaliencyResult raw = extractor.extract(DcsmPipelines.preprocessing().apply(rgb));
        assertThat(raw.classIds()).containsExactly(12, 15);
        ClassMaps distinct = ClassMapSubtractor.paper().subtract(raw.maps());
        ClassMaps fused = MultiScaleAggregator.paper().aggregate(distinct, 40, 48);
        assertThat(fused.classIds()).containsExactly(12, 15);

        ClassMaps withBackground = fused.withBackground(); // Eq. 7
        assertThat(withBackground.classIds()).containsExactly(IDS);
        UnaryEnergies unary = UnaryEnergies.fromClassMaps(fused, Unary.DEFAULT_EPS); // Eq. 7 + Eq. 6
        assertThat(unary.classIds()).containsExactly(IDS);
        // one implementation: the CRF's unary is dcsm-core's, bit for bit
        assertThat(unary.energies().data().asFloat()).containsExactly(withBackground.unary().data().asFloat());

        LabelMap crf = DenseCrf.paper().infer(rgb, fused);
        assertOnlyIds(crf);
        assertThat(crf.toArray()).containsExactly(DenseCrf.paper().infer(rgb, unary).toArray());
        assertThat(crf.toArray()).containsExactly(DenseCrf.paper()
                .infer(rgb, UnaryEnergies.of(withBackground.unary(), withBackground.classIds())).toArray());
        assertOnlyIds(Unary.argmax(withBackground));
        // the bare array's channel indices are 0, 1, 2: only the explicitly named factory reads them as ids
        LabelMap channels = DenseCrf.paper().infer(rgb, UnaryEnergies.ofChannelIndices(withBackground.unary()));
        int[] c = channels.toArray();
        int[] ids = crf.toArray();
        for (int i = 0; i < c.length; i++) {
            assertThat(ids[i]).isEqualTo(IDS[c[i]]);
        }
    }
}
