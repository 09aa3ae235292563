package org.dcsm.backprop.saliency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.dcsm.core.ClassMaps;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Batching, multi-scale output, candidate selection through the extractor, and bad input. */
class SaliencyExtractorTest {

    private static final MultiLayerNetwork NET = TestNets.tinyFcn(DataType.FLOAT, 11, 4);
    private static final List<String> LAYERS = List.of("conv1_2", "conv2_1", "fc6");

    @Test
    void batchedCandidatesEqualThePerClassLoop() {
        for (boolean guided : new boolean[] {true, false}) {
            SaliencyExtractor e = SaliencyExtractor.forNetwork(NET).layers(LAYERS).guided(guided).build();
            INDArray x = TestNets.image(DataType.FLOAT, 21, 20, 26);
            int[] channels = {3, 0, 2};
            Map<String, INDArray> batched = e.derivatives(x, channels);
            for (int b = 0; b < channels.length; b++) {
                Map<String, INDArray> single = e.derivatives(x, new int[] {channels[b]});
                for (String layer : LAYERS) {
                    INDArray row = batched.get(layer).get(NDArrayIndex.interval(b, b + 1), NDArrayIndex.all(),
                            NDArrayIndex.all(), NDArrayIndex.all());
                    assertThat(row.equalsWithEps(single.get(layer), 1e-6))
                            .as("guided=%s layer %s class channel %d", guided, layer, channels[b]).isTrue();
                    assertThat(single.get(layer).amaxNumber().doubleValue()).as(layer).isGreaterThan(0.0);
                }
            }
            // and the maps of the result: channel j of every entry is the loop's map of candidate j
            SaliencyResult all = e.extract(x, 1, 3, 4);
            for (int j = 0; j < 3; j++) {
                SaliencyResult one = e.extract(x, all.classIds()[j]);
                for (String layer : LAYERS) {
                    INDArray a = all.maps().entry(layer, 26).orElseThrow().maps()
                            .get(NDArrayIndex.point(j), NDArrayIndex.all(), NDArrayIndex.all());
                    INDArray o = one.maps().entry(layer, 26).orElseThrow().maps()
                            .get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all());
                    assertThat(a.equalsWithEps(o, 1e-6)).as(layer).isTrue();
                }
            }
        }
    }

    @Test
    void toBuilderKeepsEverySettingAndTheResult() {
        SaliencyExtractor e = SaliencyExtractor.forNetwork(NET).layers(LAYERS).guided(false).candidateThreshold(0.3)
                .minCandidates(2).scales(16, 24).seed(ScoreSeed.GLOBAL_MAX).build();
        SaliencyExtractor copy = e.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(e.toString());
        INDArray x = TestNets.image(DataType.FLOAT, 5, 20, 24);
        SaliencyResult a = e.extract(x);
        SaliencyResult b = copy.extract(x);
        assertThat(b.classIds()).containsExactly(a.classIds());
        for (ClassMaps.Entry entry : a.maps().entries()) {
            assertThat(b.maps().entry(entry.layer(), entry.scale()).orElseThrow().maps().equals(entry.maps()))
                    .as("%s at %d", entry.layer(), entry.scale()).isTrue();
        }
        SaliencyExtractor guided = e.toBuilder().guided(true).build();
        assertThat(guided.guided()).isTrue();
        assertThat(e.guided()).isFalse();
        assertThat(guided.layers()).isEqualTo(e.layers());
    }

    @Test
    void mapsAreChannelMaxOfAbsoluteDerivativeAtImageSize() {
        SaliencyExtractor e = SaliencyExtractor.forNetwork(NET).layers("conv1_1").guided(false).build();
        INDArray x = TestNets.image(DataType.FLOAT, 4, 13, 15);
        INDArray v = e.derivatives(x, new int[] {1}).get("conv1_1"); // [1, 5, 13, 15], same size as the input
        INDArray expected = org.nd4j.linalg.ops.transforms.Transforms.abs(v).max(1);
        SaliencyResult r = e.extract(x, 2);
        INDArray m = r.maps().entry("conv1_1", 15).orElseThrow().maps();
        assertThat(m.shape()).containsExactly(1, 13, 15);
        assertThat(m.equalsWithEps(expected, 1e-6)).isTrue();
        assertThat(m.minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void multiScaleMapsHaveTheOriginalImageSize() {
        SaliencyExtractor e = SaliencyExtractor.forNetwork(NET).layers(LAYERS).scales(16, 24, 40).minCandidates(2)
                .build();
        INDArray x = TestNets.image(DataType.FLOAT, 8, 22, 30);
        SaliencyResult r = e.extract(x.reshape(3, 22, 30));
        assertThat(r.scales()).containsExactly(16, 24, 40);
        assertThat(r.imageHeight()).isEqualTo(22);
        assertThat(r.imageWidth()).isEqualTo(30);
        ClassMaps maps = r.maps();
        assertThat(maps.entries()).hasSize(9);
        assertThat(maps.classCount()).isGreaterThanOrEqualTo(2);
        for (ClassMaps.Entry entry : maps.entries()) {
            assertThat(entry.height()).as(entry.toString()).isEqualTo(22);
            assertThat(entry.width()).as(entry.toString()).isEqualTo(30);
        }
        assertThat(maps.entries().get(0).layer()).isEqualTo("conv1_2");
        assertThat(maps.entries().get(0).scale()).isEqualTo(16);
        assertThat(maps.entries().get(8).layer()).isEqualTo("fc6");
        assertThat(maps.entries().get(8).scale()).isEqualTo(40);
        // different scales give different maps
        INDArray a = maps.entry("conv2_1", 16).orElseThrow().maps();
        INDArray b = maps.entry("conv2_1", 40).orElseThrow().maps();
        assertThat(a.equalsWithEps(b, 1e-6)).isFalse();
        // scores: max over the scales of the per-scale global max
        double[] s = r.scores();
        SaliencyExtractor single = SaliencyExtractor.forNetwork(NET).layers(LAYERS).scales(40).build();
        double[] s40 = single.extract(x).scores();
        for (int k = 0; k < s.length; k++) {
            assertThat(s[k]).isGreaterThanOrEqualTo(s40[k]);
        }
    }

    @Test
    void candidatesFollowThresholdAndMinimum() {
        INDArray x = TestNets.image(DataType.FLOAT, 30, 16, 16);
        SaliencyExtractor base = SaliencyExtractor.forNetwork(NET).layers("fc7").minCandidates(2).build();
        double[] p = base.extract(x).probabilities();
        int[] expected = CandidateSelector.select(p, 0.5, 2);
        int[] ids = base.extract(x).classIds();
        assertThat(ids).hasSize(expected.length);
        for (int i = 0; i < ids.length; i++) {
            assertThat(ids[i]).isEqualTo(expected[i] + 1);
        }
        // threshold 0: every class (all sigmoid outputs are > 0)
        assertThat(SaliencyExtractor.forNetwork(NET).layers("fc7").candidateThreshold(0).minCandidates(0).build()
                .extract(x).classIds()).containsExactly(1, 2, 3, 4);
        // threshold 1 and no minimum: empty result
        SaliencyResult empty = SaliencyExtractor.forNetwork(NET).layers("fc7").candidateThreshold(1).minCandidates(0)
                .build().extract(x);
        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.classIds()).isEmpty();
        assertThatThrownBy(empty::maps).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No candidate class was selected");
        // more required than classes: all K
        assertThat(SaliencyExtractor.forNetwork(NET).layers("fc7").candidateThreshold(1).minCandidates(9).build()
                .extract(x).classIds()).containsExactly(1, 2, 3, 4);
        // caller-given candidates are used whatever their scores, sorted
        assertThat(base.extract(x, 4, 2).classIds()).containsExactly(2, 4);
    }

    @Test
    void extractDoesNotModifyTheInput() {
        INDArray x = TestNets.image(DataType.FLOAT, 31, 16, 18);
        INDArray copy = x.dup();
        SaliencyExtractor.forNetwork(NET).layers("conv1_1", SaliencyExtractor.INPUT).scales(20).build().extract(x);
        assertThat(x).isEqualTo(copy);
    }

    // ---- bad input -------------------------------------------------------------------------------

    @Test
    void unknownLayerListsTheAvailableOnes() {
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(NET).layers("conv1_1", "conv9_9").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown layer 'conv9_9'")
                .hasMessageContaining("[input, conv1_1, conv1_2, pool1, conv2_1, pool2, fc6, fc7, fc8]");
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(NET).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("layers not set");
        assertThatThrownBy(() -> SaliencyExtractor.paper(NET)) // the tiny FCN has no conv3_1
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unknown layer 'conv3_1'");
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(NET).layers("fc7", "fc7").build())
                .hasMessageContaining("Layer 'fc7' appears twice");
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(NET).layers("fc7").candidateThreshold(1.5).build())
                .hasMessage("candidateThreshold must be in [0, 1], found 1.5");
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(NET).layers("fc7").candidateThreshold(Double.NaN).build())
                .hasMessage("candidateThreshold must be in [0, 1], found NaN");
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(NET).layers("fc7").minCandidates(-1).build())
                .hasMessage("minCandidates must be >= 0, found -1");
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(NET).layers("fc7").scales(400, 0).build())
                .hasMessage("scales must be > 0, found 0");
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(NET).layers("fc7").scales(400, 400).build())
                .hasMessage("scales must be distinct, found 400 twice in [400, 400]");
    }

    @Test
    void networkWithoutScoreLayerIsRejected() {
        MultiLayerNetwork noFc8 = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(TestNets.conv("conv1_1", 3, 3, 4, Activation.RELU))
                .layer(TestNets.conv("score", 1, 4, 2, Activation.IDENTITY))
                .setInputType(InputType.convolutional(8, 8, 3)).build());
        noFc8.init();
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(noFc8).layers("conv1_1").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no class score layer named 'fc8'")
                .hasMessageContaining("[conv1_1, score]");
        // ...and accepted when the score layer is named
        assertThat(SaliencyExtractor.forNetwork(noFc8).layers("conv1_1").scoreLayer("score").build().classCount())
                .isEqualTo(2);
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(noFc8).layers("conv1_1").scoreLayer("conv1_1").build())
                .hasMessageContaining("must have the identity activation");
    }

    @Test
    void imageBelowTheMinimumSizeIsPaddedAndItsMapsCroppedBack() {
        SaliencyExtractor e = SaliencyExtractor.forNetwork(NET).layers("conv1_2", "fc7").build();
        // 11 -> pool1 (ceil) 6 -> pool2 (floor) 3 -> fc6 (3×3 valid) 1; 10 -> 5 -> 2 -> nothing
        assertThat(e.minimumHeight()).isEqualTo(11);
        assertThat(e.minimumWidth()).isEqualTo(11);
        // 4 high, 40 wide (the shape of a 400×20 photo's tenth): was refused, now padded to 11×40
        INDArray thin = TestNets.image(DataType.FLOAT, 1, 4, 40);
        SaliencyResult r = e.extract(thin, 1, 3);
        assertThat(r.imageHeight()).isEqualTo(4);
        assertThat(r.imageWidth()).isEqualTo(40);
        // the same as running the image padded by hand (zeros, centred: top (11 - 4) / 2 = 3) and cropping
        INDArray byHand = Nd4j.zeros(DataType.FLOAT, 1, 3, 11, 40);
        byHand.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3, 7), NDArrayIndex.all())
                .assign(thin);
        SaliencyResult padded = e.extract(byHand, 1, 3);
        assertThat(r.scores()).containsExactly(padded.scores());
        for (String layer : List.of("conv1_2", "fc7")) {
            INDArray m = r.maps().entry(layer, 40).orElseThrow().maps();
            assertThat(m.shape()).containsExactly(2, 4, 40);
            INDArray expected = padded.maps().entry(layer, 40).orElseThrow().maps()
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(3, 7), NDArrayIndex.all());
            assertThat(m.equalsWithEps(expected, 1e-6)).as(layer).isTrue();
        }
        // a scale that makes the image too small is padded the same way
        SaliencyExtractor scaled = SaliencyExtractor.forNetwork(NET).layers("fc7").scales(30).build();
        SaliencyResult s = scaled.extract(TestNets.image(DataType.FLOAT, 1, 12, 40), 2);
        assertThat(s.maps().entry("fc7", 30).orElseThrow().maps().shape()).containsExactly(1, 12, 40);
        // the test helpers still need the real minimum
        assertThatThrownBy(() -> e.scoreMap(TestNets.image(DataType.FLOAT, 1, 10, 40)))
                .hasMessage("The input is 10x40 (HxW), below the network's minimum size 11x11");
    }

    @Test
    void scaleFactorsFollowEachImagesOwnSize() {
        SaliencyExtractor e = SaliencyExtractor.forNetwork(NET).layers("fc7").scaleFactors(1, 1.25, 1.5).build();
        assertThat(e.scalesFor(22, 30)).containsExactly(30, 38, 45); // 37.5 rounds to 38
        assertThat(e.scalesFor(300, 200)).containsExactly(300, 375, 450);
        assertThat(e.scalesFor(1, 2)).containsExactly(2, 3); // 2.5 -> 3, 3: computed once
        SaliencyResult r = e.extract(TestNets.image(DataType.FLOAT, 3, 22, 30), 1);
        assertThat(r.scales()).containsExactly(30, 38, 45);
        assertThat(SaliencyExtractor.forNetwork(NET).layers("fc7").scales(16).build().scalesFor(22, 30))
                .containsExactly(16);
        assertThat(SaliencyExtractor.forNetwork(NET).layers("fc7").build().scalesFor(22, 30)).containsExactly(30);
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(NET).layers("fc7").scales(16).scaleFactors(1).build())
                .hasMessageContaining("Set scales (fixed sizes) or scaleFactors");
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(NET).layers("fc7").scaleFactors(1, 0).build())
                .hasMessage("scaleFactors must be in (0, 16.0], found 0.0");
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(NET).layers("fc7").scaleFactors(Double.NaN).build())
                .hasMessage("scaleFactors must be in (0, 16.0], found NaN");
        assertThatThrownBy(() -> SaliencyExtractor.forNetwork(NET).layers("fc7").scaleFactors(1, 1).build())
                .hasMessageContaining("scaleFactors must be distinct");
    }

    @Test
    void nonFiniteOrMisshapenInputIsRejected() {
        SaliencyExtractor e = SaliencyExtractor.forNetwork(NET).layers("fc7").build();
        INDArray x = TestNets.image(DataType.FLOAT, 2, 16, 16);
        x.putScalar(new long[] {0, 1, 2, 3}, Float.NaN);
        assertThatThrownBy(() -> e.extract(x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Non-finite value NaN in input image at index [0, 1, 2, 3]");
        assertThatThrownBy(() -> e.extract(Nd4j.zeros(DataType.FLOAT, 1, 4, 16, 16)))
                .hasMessage("image has 4 channels, the network expects 3 (shape [1, 4, 16, 16])");
        assertThatThrownBy(() -> e.extract(Nd4j.zeros(DataType.FLOAT, 2, 3, 16, 16)))
                .hasMessage("image must be 1×C×H×W or C×H×W, found shape [2, 3, 16, 16]");
    }

    @Test
    void badCandidateIdsAreRejected() {
        SaliencyExtractor e = SaliencyExtractor.forNetwork(NET).layers("fc7").build();
        INDArray x = TestNets.image(DataType.FLOAT, 2, 16, 16);
        assertThatThrownBy(() -> e.extract(x, new int[0]))
                .hasMessage("classIds must hold at least one class id, found none");
        assertThatThrownBy(() -> e.extract(x, 0))
                .hasMessage("Class id 0 is outside 1..4 (the network scores 4 foreground classes; id 0 is the background)");
        assertThatThrownBy(() -> e.extract(x, 5))
                .hasMessageContaining("Class id 5 is outside 1..4");
        assertThatThrownBy(() -> e.extract(x, 2, 2))
                .hasMessage("Class id 2 appears twice in [2, 2]");
        assertThatThrownBy(() -> e.extract(x, 1, -3))
                .hasMessage("Class ids must be >= 0, found -3 in [1, -3]");
    }
}
