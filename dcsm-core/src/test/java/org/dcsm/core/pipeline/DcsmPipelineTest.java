package org.dcsm.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.dcsm.core.ClassMapSubtractor;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DcsmPipelineTest {

    private static final INDArray IMAGE = Nd4j.zeros(3, 1, 2);

    /** Candidates 1 and 2 on a 1×2 image with raw maps M1 = [1, 0.5], M2 = [0.5, 0.5] at one layer. */
    private static SourceResult twoCandidates() {
        INDArray maps = Nd4j.create(new float[] {1f, 0.5f, 0.5f, 0.5f}, new long[] {2, 1, 2}, 'c');
        ClassMaps raw = ClassMaps.builder(new int[] {1, 2}).add("conv", 2, maps).build();
        return new SourceResult(new double[] {0.9, 0.6, 0.1}, List.of(new Candidate(1, 0.9), new Candidate(2, 0.6)), raw);
    }

    /** The argmax refiner that keeps the maps it was given in {@code seen}. */
    private static Refiner recording(AtomicReference<ClassMaps> seen) {
        return (image, p) -> {
            seen.set(p);
            return Refiner.argmax().refine(image, p);
        };
    }

    @Test
    void computesEq4Eq5Eq7ByHand() {
        AtomicReference<ClassMaps> seen = new AtomicReference<>();
        Refiner recording = recording(seen);
        DcsmPipeline pipeline = DcsmPipeline.builder(img -> twoCandidates(), recording).keepRawMaps(true).build();
        Segmentation s = pipeline.segment(IMAGE);
        // Eq. 4: M~1 = max(M1 - M2, 0) = [0.5, 0]; M~2 = max(M2 - M1, 0) = [0, 0]
        // Eq. 5 (alpha 3, max-normalised, one entry): class 1 = [tanh 3, 0]; class 2 stays 0
        // Eq. 7: background = 1 - max = [1 - tanh 3, 1]
        float[] before = seen.get().single().data().asFloat();
        double t3 = Math.tanh(3);
        assertThat(seen.get().classIds()).containsExactly(0, 1, 2);
        assertThat(before[0]).isCloseTo((float) (1 - t3), within(1e-6f));
        assertThat(before[1]).isCloseTo(1f, within(1e-6f));
        assertThat(before[2]).isCloseTo((float) t3, within(1e-6f));
        assertThat(before[3]).isCloseTo(0f, within(1e-6f));
        assertThat(before[4]).isZero();
        assertThat(before[5]).isZero();
        assertThat(s.labels()).isEqualTo(LabelMap.of(2, 1, new int[] {1, 0}));
        assertThat(s.unrefinedLabels()).isEqualTo(s.labels());
        assertThat(s.candidates()).extracting(Candidate::classId).containsExactly(1, 2);
        assertThat(s.probabilities()).containsExactly(0.9, 0.6, 0.1);
        assertThat(s.rawMaps()).isPresent();
        assertThat(s.fusedMaps().orElseThrow().classIds()).containsExactly(1, 2);
        assertThat(s.millis()).containsKeys("source", "subtraction", "fusion", "refiner");

        // without Eq. 4 (ablation) each map is normalised by its own max: class 1 = [tanh 3, tanh 1.5],
        // class 2 = [0.5, 0.5] / 0.5 -> [tanh 3, tanh 3]. Pixel 0 ties (lower channel, class 1, wins);
        // at pixel 1 the flat class-2 map wins although class 1 was as strong there: what Eq. 4 prevents.
        Segmentation none = pipeline.toBuilder().subtraction(ClassMapSubtractor.none()::subtract).build().segment(IMAGE);
        assertThat(none.labels()).isEqualTo(LabelMap.of(2, 1, new int[] {1, 2}));
    }

    @Test
    void candidateMapRuleDecidesEq7AndTheLabelSet() {
        AtomicReference<ClassMaps> seen = new AtomicReference<>();
        Refiner recording = recording(seen);
        DcsmPipeline paper = DcsmPipeline.builder(img -> twoCandidates(), recording).build();
        assertThat(paper.candidateMaps()).isEqualTo(CandidateMapRule.paper());
        // fused as in computesEq4Eq5Eq7ByHand: class 1 = [tanh 3, 0], class 2 = [0, 0]; p = 0.9 and 0.6
        double t3 = Math.tanh(3);
        paper.toBuilder().candidateMaps(CandidateMapRule.probabilityWeighted()).build().segment(IMAGE);
        float[] weighted = seen.get().single().data().asFloat();
        assertThat(seen.get().classIds()).containsExactly(0, 1, 2);
        assertThat(weighted[0]).isCloseTo((float) (1 - 0.9 * t3), within(1e-6f));
        assertThat(weighted[1]).isCloseTo(1f, within(1e-6f));
        assertThat(weighted[2]).isCloseTo((float) (0.9 * t3), within(1e-6f));

        Segmentation confident = paper.toBuilder().candidateMaps(CandidateMapRule.confidentOnly(0.7)).build()
                .segment(IMAGE);
        assertThat(confident.beforeRefinement().classIds()).containsExactly(0, 1);
        assertThat(confident.candidates()).extracting(Candidate::classId).containsExactly(1, 2);
        assertThat(confident.fusedMaps().orElseThrow().classIds()).containsExactly(1, 2);
        assertThat(confident.labels()).isEqualTo(LabelMap.of(2, 1, new int[] {1, 0}));
    }

    @Test
    void rejectsACandidateMapStepThatBreaksTheLabelSet() {
        DcsmPipeline p = DcsmPipeline.paper(img -> twoCandidates(), Refiner.argmax());
        CandidateMapRule noBackground = (fused, c) -> fused;
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> p.toBuilder().candidateMaps(noBackground).build().segment(IMAGE)))
                .hasMessage("The candidate-map step must return the background (class id 0) and then some of the "
                        + "candidates [1, 2] in their order, found [1, 2]");
        CandidateMapRule reordered = (fused, c) -> ClassMaps.of(new int[] {0, 2, 1}, Nd4j.zeros(3, 1, 2));
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> p.toBuilder().candidateMaps(reordered).build().segment(IMAGE)))
                .hasMessageEndingWith("found [0, 2, 1]");
        CandidateMapRule stranger = (fused, c) -> ClassMaps.of(new int[] {0, 7}, Nd4j.zeros(2, 1, 2));
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> p.toBuilder().candidateMaps(stranger).build().segment(IMAGE)))
                .hasMessageEndingWith("found [0, 7]");
        CandidateMapRule wrongSize = (fused, c) -> ClassMaps.of(new int[] {0, 1}, Nd4j.zeros(2, 2, 2));
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> p.toBuilder().candidateMaps(wrongSize).build().segment(IMAGE)))
                .hasMessageStartingWith("The candidate-map step must return one 1x2 entry, found");
        assertThat(assertThrows(NullPointerException.class, () -> p.toBuilder().candidateMaps(null)))
                .hasMessage("candidateMaps");
    }

    @Test
    void refinerDecidesTheFinalLabelsButNotTheUnrefinedOnes() {
        Refiner allBackground = (image, p) -> new Refinement(p, LabelMap.filled(2, 1, 0));
        Segmentation s = DcsmPipeline.paper(img -> twoCandidates(), allBackground).segment(IMAGE);
        assertThat(s.labels().distinctIds()).containsExactly(0);
        assertThat(s.unrefinedLabels()).isEqualTo(LabelMap.of(2, 1, new int[] {1, 0}));
        assertThat(s.rawMaps()).isEmpty();
    }

    @Test
    void imageWithoutCandidatesIsBackground() {
        ClassMapSource nothing = img -> new SourceResult(new double[] {0.1, 0.2}, List.of(), null);
        Segmentation s = DcsmPipeline.paper(nothing, Refiner.argmax()).segment(Nd4j.zeros(3, 4, 5));
        assertThat(s.labels()).isEqualTo(LabelMap.filled(5, 4, 0));
        assertThat(s.candidates()).isEmpty();
        assertThat(s.fusedMaps()).isEmpty();
        assertThat(s.beforeRefinement().classIds()).containsExactly(0);
    }

    @Test
    void rejectsBadInputAndBrokenSteps() {
        DcsmPipeline p = DcsmPipeline.paper(img -> twoCandidates(), Refiner.argmax());
        assertThat(assertThrows(IllegalArgumentException.class, () -> p.segment(Nd4j.zeros(1, 4, 4))))
                .hasMessage("Image must be 3×H×W RGB, found shape [1, 4, 4]");
        @SuppressWarnings("removal")
        DcsmPipeline.Builder noRefiner = DcsmPipeline.builder(img -> twoCandidates());
        assertThat(assertThrows(IllegalStateException.class, noRefiner::build))
                .hasMessageStartingWith("refiner must be set (builder(source, refiner)");
        assertThat(assertThrows(NullPointerException.class, () -> DcsmPipeline.builder(null, Refiner.argmax())))
                .hasMessage("source");
        assertThat(assertThrows(NullPointerException.class, () -> DcsmPipeline.builder(img -> twoCandidates(), null)))
                .hasMessage("refiner");
        assertThat(assertThrows(NullPointerException.class, () -> p.toBuilder().fusion(null))).hasMessage("fusion");
        MapTransform dropsOne = m -> ClassMaps.of(new int[] {1}, Nd4j.zeros(1, 1, 2));
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> p.toBuilder().subtraction(dropsOne).build().segment(IMAGE)))
                .hasMessage("The subtraction step changed the class ids from [1, 2] to [1]");
        Refiner wrongSize = (image, m) -> new Refinement(ClassMaps.of(new int[] {0}, Nd4j.zeros(1, 2, 2)),
                LabelMap.filled(2, 2, 0));
        assertThat(assertThrows(IllegalArgumentException.class, () -> p.toBuilder().refiner(wrongSize).build().segment(IMAGE)))
                .hasMessage("Refiner returned 2x2 labels for a 2x1 image");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MapFusion.eq5(-1, org.dcsm.core.MultiScaleAggregator.Normalization.MAX, 1)))
                .hasMessageContaining("alpha must be > 0");
    }

    @Test
    void sourceResultChecksItsParts() {
        ClassMaps raw = twoCandidates().rawMaps().orElseThrow();
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> new SourceResult(new double[] {0.5}, List.of(new Candidate(2, 0.5), new Candidate(1, 0.5)), raw)))
                .hasMessage("Raw map channel 0 is class id 1 but candidate 0 is Candidate[classId=2, score=0.5]");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new SourceResult(new double[] {1.5}, List.of(), null)))
                .hasMessage("Probability of class id 1 must be in [0, 1], found 1.5");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new SourceResult(new double[0], List.of(), raw)))
                .hasMessageContaining("exactly when there are candidates");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new Candidate(0, 0.5)))
                .hasMessageContaining("found 0");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new Candidate(3, Double.NaN)))
                .hasMessage("Candidate score must be in [0, 1], found NaN for class id 3");
    }
}
