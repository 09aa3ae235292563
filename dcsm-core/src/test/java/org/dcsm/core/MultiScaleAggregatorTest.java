package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withPrecision;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MultiScaleAggregatorTest {

    private static final float TANH_3 = 0.99505475f;
    private static final float TANH_1_5 = 0.90514825f;
    private static final float TANH_0_75 = 0.63514895f;
    private static final float TANH_2_25 = 0.97802611f;

    private static INDArray chw(int c, int h, int w, float... v) {
        return Nd4j.create(v, new long[] {c, h, w}, 'c');
    }

    private static float[] flat(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static final MultiScaleAggregator PAPER = MultiScaleAggregator.paper();

    @Test
    void normalisesByMaxThenTanhAlpha3() {
        // [2, 1] / 2 = [1, 0.5] -> [tanh 3, tanh 1.5]
        ClassMaps fused = PAPER.aggregate(ClassMaps.of(new int[] {6}, chw(1, 1, 2, 2, 1)), 1, 2);
        assertThat(fused.classIds()).containsExactly(6);
        assertThat(fused.entries()).hasSize(1);
        assertThat(fused.entries().get(0).layer()).isEqualTo(ClassMaps.NO_LAYER);
        assertThat(flat(fused.single())).containsExactly(new float[] {TANH_3, TANH_1_5}, withPrecision(1e-7f));
    }

    @Test
    void meanOverEntriesAndZeroMapStaysZero() {
        // entry a: class 1 [2, 1] -> [tanh 3, tanh 1.5]; class 2 [0, 0] (max 0) -> [0, 0]
        // entry b: class 1 [4, 4] -> [tanh 3, tanh 3];   class 2 [0, 3] -> [0, tanh 3]
        // mean:    class 1 [tanh 3, (tanh 1.5 + tanh 3)/2 = 0.9501015]; class 2 [0, tanh 3 / 2 = 0.49752738]
        ClassMaps maps = ClassMaps.builder(new int[] {1, 2})
                .add("conv4_3", 500, chw(2, 1, 2, 2, 1, 0, 0))
                .add("conv5_3", 500, chw(2, 1, 2, 4, 4, 0, 3))
                .build();
        assertThat(flat(PAPER.aggregate(maps, 1, 2).single())).containsExactly(
                new float[] {TANH_3, 0.9501015f, 0f, 0.49752738f}, withPrecision(1e-7f));
    }

    @Test
    void resizesBeforeNormalising() {
        // 1x2 [0, 2] resized to 1x4 (half-pixel centres): [0, 0.5, 1.5, 2]; / 2 = [0, 0.25, 0.75, 1]
        // tanh(3x) = [0, tanh 0.75, tanh 2.25, tanh 3]. (Normalising first would give 0.25*tanh 3 = 0.2488 at x=1.)
        ClassMaps fused = PAPER.aggregate(ClassMaps.of(new int[] {3}, chw(1, 1, 2, 0, 2)), 1, 4);
        assertThat(flat(fused.single())).containsExactly(
                new float[] {0f, TANH_0_75, TANH_2_25, TANH_3}, withPrecision(1e-7f));
        // a 1x1 entry becomes a constant map: 5 / 5 -> tanh 3 everywhere
        ClassMaps constant = PAPER.aggregate(ClassMaps.of(new int[] {3}, chw(1, 1, 1, 5)), 2, 3);
        assertThat(constant.single().shape()).containsExactly(1, 2, 3);
        for (float v : flat(constant.single())) {
            assertThat(v).isCloseTo(TANH_3, withPrecision(1e-7f));
        }
    }

    @Test
    void alphaAndNormalizationAreConfigurable() {
        // alpha 1.5: [2, 1] -> [tanh 1.5, tanh 0.75]
        MultiScaleAggregator a15 = MultiScaleAggregator.builder().alpha(1.5).build();
        assertThat(flat(a15.aggregate(ClassMaps.of(new int[] {1}, chw(1, 1, 2, 2, 1)), 1, 2).single()))
                .containsExactly(new float[] {TANH_1_5, TANH_0_75}, withPrecision(1e-7f));
        // printed Eq. 5 without the max: [0.5, 1] -> [tanh 1.5, tanh 3]
        MultiScaleAggregator raw = PAPER.toBuilder().normalization(MultiScaleAggregator.Normalization.NONE).build();
        assertThat(flat(raw.aggregate(ClassMaps.of(new int[] {1}, chw(1, 1, 2, 0.5f, 1)), 1, 2).single()))
                .containsExactly(new float[] {TANH_1_5, TANH_3}, withPrecision(1e-7f));
    }

    @Test
    void streamingEqualsOneShotAndRecordsLayersAndScales() {
        Random rnd = new Random(5);
        int[] ids = {3, 8, 12};
        String[] layers = {"conv3_3", "conv4_3", "conv5_3"};
        int[] scales = {400, 500, 600};
        ClassMaps.Builder all = ClassMaps.builder(ids);
        MultiScaleAggregator aggregator = PAPER;
        MultiScaleAggregator.Aggregation stream = aggregator.start(ids, 20, 30);
        for (int s : scales) {
            for (int l = 0; l < layers.length; l++) {
                int h = 4 + rnd.nextInt(30);
                int w = 4 + rnd.nextInt(30);
                float[] v = new float[3 * h * w];
                for (int i = 0; i < v.length; i++) {
                    v[i] = rnd.nextFloat() * 2;
                }
                all.add(layers[l], s, chw(3, h, w, v));
                stream.add(layers[l], s, chw(3, h, w, v));
            }
        }
        float[] oneShot = flat(aggregator.aggregate(all.build(), 20, 30).single());
        MultiScaleAggregator.Aggregation flatStream = aggregator.start(ids, 20, 30);
        for (ClassMaps.Entry e : all.build().entries()) {
            flatStream.add(e.layer(), e.scale(), flat(e.maps()), e.height(), e.width());
        }
        assertThat(flat(flatStream.result().single())).containsExactly(oneShot);
        assertThat(flat(stream.result().single())).containsExactly(oneShot);
        assertThat(stream.count()).isEqualTo(9);
        assertThat(stream.scalesSeen()).containsExactly(400, 500, 600);
        assertThat(stream.layersSeen()).containsExactly(layers);
        MultiScaleAggregator threaded = aggregator.toBuilder().threads(2).build();
        assertThat(flat(threaded.aggregate(all.build(), 20, 30).single())).containsExactly(oneShot);
        for (float v : oneShot) {
            assertThat(v).isBetween(0f, TANH_3);
        }
    }

    @Test
    void resultCanBeReadAndExtended() {
        MultiScaleAggregator.Aggregation a = PAPER.start(new int[] {1}, 1, 1);
        a.add("a", 0, chw(1, 1, 1, 1));
        assertThat(a.result().single().getFloat(0)).isCloseTo(TANH_3, withPrecision(1e-7f));
        a.add("b", 0, chw(1, 1, 1, 0));
        assertThat(a.result().single().getFloat(0)).isCloseTo(TANH_3 / 2, withPrecision(1e-7f));
        // untagged entries (user-made maps) may be added more than once
        a.add(ClassMaps.of(new int[] {1}, chw(1, 1, 1, 0))).add(ClassMaps.of(new int[] {1}, chw(1, 1, 1, 0)));
        assertThat(a.count()).isEqualTo(4);
    }

    @Test
    void rejectsBadSettings() {
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MultiScaleAggregator.builder().alpha(0).build()))
                .hasMessage("alpha must be > 0 and finite, found 0.0");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MultiScaleAggregator.builder().alpha(-3).build()))
                .hasMessage("alpha must be > 0 and finite, found -3.0");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MultiScaleAggregator.builder().threads(-1).build()))
                .hasMessage("threads must be >= 1, found -1");
        assertThat(assertThrows(NullPointerException.class,
                () -> MultiScaleAggregator.builder().normalization(null)))
                .hasMessage("normalization");
        // the size is per call
        ClassMaps one = ClassMaps.of(new int[] {1}, chw(1, 1, 1, 1));
        assertThat(assertThrows(IllegalArgumentException.class, () -> PAPER.aggregate(one, 0, 5)))
                .hasMessage("outputSize must be > 0, found 0×5 (height×width)");
        assertThat(assertThrows(IllegalArgumentException.class, () -> PAPER.start(new int[] {1}, 3, -1)))
                .hasMessage("outputSize must be > 0, found 3×-1 (height×width)");
    }

    @Test
    void paperIsTheBuildersDefaultsAndToBuilderRoundTrips() {
        MultiScaleAggregator paper = MultiScaleAggregator.paper();
        assertThat(paper.alpha()).isEqualTo(MultiScaleAggregator.DEFAULT_ALPHA);
        assertThat(paper.normalization()).isEqualTo(MultiScaleAggregator.Normalization.MAX);
        assertThat(paper.threads()).isEqualTo(1);
        assertThat(paper.toString()).isEqualTo(MultiScaleAggregator.builder().build().toString());
        MultiScaleAggregator custom = MultiScaleAggregator.builder().alpha(1.5)
                .normalization(MultiScaleAggregator.Normalization.NONE).threads(3).build();
        MultiScaleAggregator copy = custom.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(custom.toString())
                .isEqualTo("MultiScaleAggregator[alpha=1.5, normalization=NONE, threads=3]");
        ClassMaps maps = ClassMaps.of(new int[] {1}, chw(1, 1, 2, 0.5f, 1));
        assertThat(flat(copy.aggregate(maps, 1, 2).single())).containsExactly(flat(custom.aggregate(maps, 1, 2).single()));
    }

    @Test
    void oneAggregatorServesEverySize() {
        ClassMaps maps = ClassMaps.of(new int[] {4, 7}, chw(2, 1, 2, 2, 1, 0, 3));
        float[] small = flat(PAPER.aggregate(maps, 1, 4).single());
        float[] large = flat(PAPER.aggregate(maps, 3, 5).single());
        assertThat(small).hasSize(2 * 4);
        assertThat(large).hasSize(2 * 15);
        // the same numbers as an aggregator made for that size alone (the deprecated path)
        @SuppressWarnings("removal")
        MultiScaleAggregator sized = MultiScaleAggregator.builder().outputSize(3, 5).build();
        @SuppressWarnings("removal")
        float[] old = flat(sized.aggregate(maps).single());
        assertThat(old).containsExactly(large);
    }

    @Test
    @SuppressWarnings("removal")
    void deprecatedAliasesKeepWorkingForOneRelease() {
        MultiScaleAggregator viaAlias = MultiScaleAggregator.builder()
                .normalisation(MultiScaleAggregator.Normalisation.NONE).build();
        assertThat(viaAlias.normalization()).isEqualTo(MultiScaleAggregator.Normalization.NONE);
        assertThat(viaAlias.normalisation()).isEqualTo(MultiScaleAggregator.Normalisation.NONE);
        assertThat(MultiScaleAggregator.Normalisation.MAX.toNormalization())
                .isEqualTo(MultiScaleAggregator.Normalization.MAX);
        // a configured size survives toBuilder; without one the size-less calls say what to do
        MultiScaleAggregator sized = MultiScaleAggregator.builder().outputSize(2, 3).build();
        assertThat(sized.toBuilder().build().outputHeight()).isEqualTo(2);
        assertThat(sized.toBuilder().build().outputWidth()).isEqualTo(3);
        ClassMaps one = ClassMaps.of(new int[] {1}, chw(1, 1, 1, 1));
        assertThat(assertThrows(IllegalStateException.class, () -> PAPER.aggregate(one)))
                .hasMessageContaining("outputSize must be set").hasMessageContaining("aggregate(maps, height, width)");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> MultiScaleAggregator.builder().outputSize(0, 5).build()))
                .hasMessage("outputSize must be > 0, found 0×5 (height×width)");
        assertThat(flat(org.dcsm.core.pipeline.MapFusion.eq5(3, MultiScaleAggregator.Normalisation.NONE, 1)
                .fuse(one, 2, 2).single())).containsExactly(flat(viaAlias.aggregate(one, 2, 2).single()));
    }

    @Test
    void rejectsBadInput() {
        MultiScaleAggregator a = PAPER;
        assertThat(assertThrows(IllegalArgumentException.class, () -> a.start(new int[0], 2, 2)))
                .hasMessageContaining("at least one class id");
        MultiScaleAggregator.Aggregation s = a.start(new int[] {2, 3}, 2, 2);
        ClassMaps other = ClassMaps.of(new int[] {2, 5}, Nd4j.zeros(DataType.FLOAT, 2, 2, 2));
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.add(other)))
                .hasMessageContaining("[2, 5]").hasMessageContaining("[2, 3]").hasMessageContaining("differ");
        ClassMaps swapped = ClassMaps.of(new int[] {3, 2}, Nd4j.zeros(DataType.FLOAT, 2, 2, 2));
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.add(swapped)))
                .hasMessageContaining("[3, 2]").hasMessageContaining("channel order");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> s.add("conv5_3", 500, Nd4j.zeros(DataType.FLOAT, 3, 2, 2))))
                .hasMessageContaining("must be non-empty 2×H×W").hasMessageContaining("[3, 2, 2]");
        INDArray nan = Nd4j.zeros(DataType.FLOAT, 2, 2, 2);
        nan.putScalar(new long[] {0, 1, 1}, Float.NaN);
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.add("conv5_3", 500, nan)))
                .hasMessageContaining("NaN").hasMessageContaining("[0, 1, 1]").hasMessageContaining("conv5_3");
        INDArray negative = Nd4j.zeros(DataType.FLOAT, 2, 2, 2);
        negative.putScalar(new long[] {1, 0, 1}, -0.5f);
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.add("conv5_3", 500, negative)))
                .hasMessageContaining("non-negative").hasMessageContaining("-0.5")
                .hasMessageContaining("class id 3 at (x=1, y=0)");
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.add("conv4_3", 400, new float[7], 2, 2)))
                .hasMessage("Maps for layer 'conv4_3' at scale 400 must hold 2·2·2 values for class ids [2, 3], found 7");
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.add("conv4_3", 400, new float[0], 0, 2)))
                .hasMessageContaining("positive size, found 0×2");
        float[] inf = new float[8];
        inf[5] = Float.POSITIVE_INFINITY;
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.add("conv4_3", 400, inf, 2, 2)))
                .hasMessage("Non-finite value Infinity in maps for layer 'conv4_3' at scale 400 at index [1, 0, 1]");
        s.add("conv5_3", 500, Nd4j.zeros(DataType.FLOAT, 2, 2, 2));
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> s.add("conv5_3", 500, Nd4j.zeros(DataType.FLOAT, 2, 2, 2))))
                .hasMessageContaining("layer 'conv5_3' at scale 500 was already added");
        assertThat(s.count()).isEqualTo(1);
        // a ClassMaps whose second entry is bad adds nothing
        ClassMaps secondBad = ClassMaps.builder(new int[] {2, 3})
                .add("conv4_3", 500, Nd4j.ones(DataType.FLOAT, 2, 2, 2))
                .add("conv3_3", 500, negative)
                .build();
        assertThat(assertThrows(IllegalArgumentException.class, () -> s.add(secondBad)))
                .hasMessageContaining("layer 'conv3_3'");
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.layersSeen()).containsExactly("conv5_3");
        assertThat(assertThrows(IllegalStateException.class, () -> a.start(new int[] {1}, 2, 2).result()))
                .hasMessageContaining("No class maps were added").hasMessageContaining("[1]");
    }
}
