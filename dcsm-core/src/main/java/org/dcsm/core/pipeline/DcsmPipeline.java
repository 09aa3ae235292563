package org.dcsm.core.pipeline;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMapSubtractor;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.Unary;
import org.dcsm.core.impl.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DCSM end to end for one image (Shimoda and Yanai, ECCV 2016, §3): a {@link ClassMapSource} gives
 * the candidates and their raw maps per layer and scale (steps 1–3, Eq. 1–3); a {@link MapTransform}
 * subtracts the other candidates' maps (Eq. 4, default {@link ClassMapSubtractor#paper()}); a
 * {@link MapFusion} averages {@code tanh(alpha·M/max M)} over layers and scales at the image's size
 * (Eq. 5, default {@link MapFusion#paper()}); a {@link CandidateMapRule} prepends the background
 * {@code 1 − max_c M^c} (Eq. 7, default {@link CandidateMapRule#paper()}; the other rules are beyond the
 * paper) and a {@link Refiner} turns the maps into labels (Eq. 6, 8: the dense CRF; or
 * {@link Refiner#argmax()}). Every step is replaceable through the builder; each stays usable alone.
 *
 * <p>An image without candidates (possible only with a source configured for fewer than one) is all
 * background. Immutable; thread-safe when its steps are.
 *
 * <p>Memory: the pipeline makes no ND4J array itself, and with dcsm's steps ({@code SaliencyClassMapSource},
 * {@link ClassMapSubtractor}, {@link MapFusion#eq5}, the {@link CandidateMapRule}s, {@code DenseCrfRefiner}) a
 * {@link #segment} call closes every ND4J array it makes before returning; the returned maps live on the Java heap
 * ({@link ClassMaps}). Tested over 200 calls ({@code SegmentationMemoryTest}, dcsm-pipeline).
 */
public final class DcsmPipeline {

    private final ClassMapSource source;
    private final MapTransform subtraction;
    private final MapFusion fusion;
    private final CandidateMapRule candidateMaps;
    private final Refiner refiner;
    private final boolean keepRawMaps;

    private DcsmPipeline(Builder b) {
        this.source = b.source;
        this.subtraction = b.subtraction;
        this.fusion = b.fusion;
        this.candidateMaps = b.candidateMaps;
        this.refiner = b.refiner;
        this.keepRawMaps = b.keepRawMaps;
    }

    /**
     * The paper's configuration around an engine: Eq. 4 as printed, Eq. 5 with alpha = 3, Eq. 7, and the given
     * refiner (the paper's dense CRF: dcsm-crf's {@code DenseCrfRefiner.paper()}). The source decides the
     * layers, scales and candidate rule (paper: blocks 3–5, scales 400/500/600, threshold 0.5, ≥ 3).
     */
    public static DcsmPipeline paper(ClassMapSource source, Refiner refiner) {
        return builder(source, refiner).build();
    }

    /**
     * A builder around the two required steps, the source (steps 1–3) and the refiner (the dense CRF, or
     * {@link Refiner#argmax()} for none), holding the paper's Eq. 4, Eq. 5 and Eq. 7.
     *
     * @throws NullPointerException naming the null argument
     */
    public static Builder builder(ClassMapSource source, Refiner refiner) {
        return new Builder(source).refiner(refiner);
    }

    /**
     * A builder around a source and no refiner yet; {@link Builder#build()} throws {@link IllegalStateException}
     * until {@link Builder#refiner(Refiner)} is called.
     *
     * @deprecated the refiner is required: {@link #builder(ClassMapSource, Refiner)}. Kept for one release.
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public static Builder builder(ClassMapSource source) {
        return new Builder(source);
    }

    /** A builder holding this pipeline's steps, to replace some. */
    public Builder toBuilder() {
        return new Builder(source).subtraction(subtraction).fusion(fusion).candidateMaps(candidateMaps)
                .refiner(refiner).keepRawMaps(keepRawMaps);
    }

    /** Fluent builder; every setter refuses null ({@link NullPointerException} naming it). Not thread-safe. */
    public static final class Builder {
        private ClassMapSource source;
        private MapTransform subtraction = ClassMapSubtractor.paper()::subtract;
        private MapFusion fusion = MapFusion.paper();
        private CandidateMapRule candidateMaps = CandidateMapRule.paper();
        private Refiner refiner;
        private boolean keepRawMaps;

        private Builder(ClassMapSource source) {
            this.source = Checks.notNull(source, "source");
        }

        /** Replaces the class-map source (steps 1–3). */
        public Builder source(ClassMapSource source) {
            this.source = Checks.notNull(source, "source");
            return this;
        }

        /**
         * Eq. 4's step: a {@link ClassMapSubtractor}'s {@code subtract} (e.g. {@code ClassMapSubtractor.none()::subtract})
         * or any other transform. The one setter of this slot.
         */
        public Builder subtraction(MapTransform subtraction) {
            this.subtraction = Checks.notNull(subtraction, "subtraction");
            return this;
        }

        /**
         * Eq. 4 by this subtractor.
         *
         * @deprecated the same slot as {@link #subtraction(MapTransform)}; use {@code subtraction(subtractor::subtract)}.
         *             Kept for one release.
         */
        @Deprecated(since = "0.1.0", forRemoval = true)
        public Builder subtractor(ClassMapSubtractor subtractor) {
            Checks.notNull(subtractor, "subtractor");
            this.subtraction = subtractor::subtract;
            return this;
        }

        /** Replaces Eq. 5. */
        public Builder fusion(MapFusion fusion) {
            this.fusion = Checks.notNull(fusion, "fusion");
            return this;
        }

        /**
         * Replaces Eq. 7's step: which candidates, scaled how, make the background and the refiner's labels
         * (default {@link CandidateMapRule#paper()}; the other factories are beyond the paper).
         */
        public Builder candidateMaps(CandidateMapRule rule) {
            this.candidateMaps = Checks.notNull(rule, "candidateMaps");
            return this;
        }

        /** The last step: the dense CRF or {@link Refiner#argmax()} (required). */
        public Builder refiner(Refiner refiner) {
            this.refiner = Checks.notNull(refiner, "refiner");
            return this;
        }

        /** Whether {@link Segmentation#rawMaps()} keeps the per-layer, per-scale maps (default false: memory). */
        public Builder keepRawMaps(boolean keep) {
            this.keepRawMaps = keep;
            return this;
        }

        /** @throws IllegalStateException when no refiner was given (only after the deprecated {@code builder(source)}) */
        public DcsmPipeline build() {
            Checks.set(refiner, "refiner", "(builder(source, refiner); a dense CRF, or Refiner.argmax() for none)");
            return new DcsmPipeline(this);
        }
    }

    /**
     * Segments one image.
     *
     * @param image {@code 3×H×W} RGB, float 0–255, finite; not modified
     * @return labels at {@code H×W}, candidates, and the maps of every stage
     * @throws IllegalArgumentException when the image is not {@code 3×H×W}, or a step's result breaks its contract
     */
    public Segmentation segment(INDArray image) {
        Objects.requireNonNull(image, "image");
        if (image.rank() != 3 || image.size(0) != 3 || image.size(1) < 1 || image.size(2) < 1) {
            throw new IllegalArgumentException("Image must be 3×H×W RGB, found shape " + Arrays.toString(image.shape()));
        }
        int height = (int) image.size(1);
        int width = (int) image.size(2);
        Map<String, Double> ms = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        SourceResult found = source.extract(image);
        long t1 = System.nanoTime();
        ms.put("source", (t1 - t0) / 1e6);
        List<Candidate> candidates = found.candidates();
        if (candidates.isEmpty()) {
            float[] ones = new float[Math.multiplyExact(height, width)];
            Arrays.fill(ones, 1f);
            ClassMaps bg = ClassMaps.builder(new int[] {ClassList.BACKGROUND}).add(ClassMaps.NO_LAYER, 0, ones, height,
                    width).build();
            LabelMap all = LabelMap.filled(width, height, ClassList.BACKGROUND);
            return new Segmentation(all, all, candidates, found.probabilities(), null, null, bg, bg, ms);
        }
        ClassMaps raw = found.rawMaps().orElseThrow();
        ClassMaps distinct = requireSameIds(subtraction.apply(raw), raw, "subtraction");
        long t2 = System.nanoTime();
        ms.put("subtraction", (t2 - t1) / 1e6);
        ClassMaps fused = requireSameIds(fusion.fuse(distinct, height, width), raw, "fusion");
        if (fused.entries().size() != 1 || fused.entries().get(0).height() != height
                || fused.entries().get(0).width() != width) {
            throw new IllegalArgumentException("Fusion must return one " + height + "x" + width + " entry, found "
                    + fused.entries());
        }
        ClassMaps before = requireLabelSet(candidateMaps.apply(fused, candidates), fused, height, width);
        LabelMap unrefined = Unary.argmax(before);
        long t3 = System.nanoTime();
        ms.put("fusion", (t3 - t2) / 1e6);
        Refinement refined = refiner.refine(image, before);
        ms.put("refiner", (System.nanoTime() - t3) / 1e6);
        if (refined.labels().width() != width || refined.labels().height() != height) {
            throw new IllegalArgumentException("Refiner returned " + refined.labels().width() + "x"
                    + refined.labels().height() + " labels for a " + width + "x" + height + " image");
        }
        return new Segmentation(refined.labels(), unrefined, candidates, found.probabilities(),
                keepRawMaps ? raw : null, fused, before, refined.probabilities(), ms);
    }

    private static ClassMaps requireSameIds(ClassMaps out, ClassMaps in, String step) {
        if (!Arrays.equals(out.classIds(), in.classIds())) {
            throw new IllegalArgumentException("The " + step + " step changed the class ids from "
                    + Arrays.toString(in.classIds()) + " to " + Arrays.toString(out.classIds()));
        }
        return out;
    }

    /** The refiner's input must be the background, then some of the candidates in their order, at the image's size. */
    private static ClassMaps requireLabelSet(ClassMaps before, ClassMaps fused, int height, int width) {
        int[] ids = before.classIds();
        int[] candidates = fused.classIds();
        boolean ordered = ids.length >= 2 && ids[0] == ClassList.BACKGROUND;
        for (int i = 1, j = 0; ordered && i < ids.length; i++, j++) {
            while (j < candidates.length && candidates[j] != ids[i]) {
                j++;
            }
            ordered = j < candidates.length;
        }
        if (!ordered) {
            throw new IllegalArgumentException("The candidate-map step must return the background (class id 0) and "
                    + "then some of the candidates " + Arrays.toString(candidates) + " in their order, found "
                    + Arrays.toString(ids));
        }
        if (before.entries().size() != 1 || before.entries().get(0).height() != height
                || before.entries().get(0).width() != width) {
            throw new IllegalArgumentException("The candidate-map step must return one " + height + "x" + width
                    + " entry, found " + before.entries());
        }
        return before;
    }

    /** The candidate-map rule (Eq. 7's step) this pipeline applies. */
    public CandidateMapRule candidateMaps() {
        return candidateMaps;
    }

    /** The source this pipeline runs. */
    public ClassMapSource source() {
        return source;
    }

    /** The refiner this pipeline ends with. */
    public Refiner refiner() {
        return refiner;
    }
}
