package org.dcsm.core.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;

/**
 * The result of {@link DcsmPipeline#segment}: the segmentation at the image's original size, the
 * candidates with their scores, and the maps of every stage for users who want them. Immutable (every
 * part is immutable; arrays are copied out).
 */
public final class Segmentation {

    private final LabelMap labels;
    private final LabelMap unrefinedLabels;
    private final List<Candidate> candidates;
    private final double[] probabilities;
    private final ClassMaps rawMaps;
    private final ClassMaps fusedMaps;
    private final ClassMaps beforeRefinement;
    private final ClassMaps afterRefinement;
    private final Map<String, Double> millis;

    Segmentation(LabelMap labels, LabelMap unrefinedLabels, List<Candidate> candidates, double[] probabilities,
                 ClassMaps rawMaps, ClassMaps fusedMaps, ClassMaps beforeRefinement, ClassMaps afterRefinement,
                 Map<String, Double> millis) {
        this.labels = Objects.requireNonNull(labels);
        this.unrefinedLabels = Objects.requireNonNull(unrefinedLabels);
        this.candidates = List.copyOf(candidates);
        this.probabilities = probabilities.clone();
        this.rawMaps = rawMaps;
        this.fusedMaps = fusedMaps;
        this.beforeRefinement = Objects.requireNonNull(beforeRefinement);
        this.afterRefinement = Objects.requireNonNull(afterRefinement);
        this.millis = Map.copyOf(millis);
    }

    /** The final segmentation (after the refiner), class ids, at the image's size. */
    public LabelMap labels() {
        return labels;
    }

    /** The per-pixel argmax of {@link #beforeRefinement()}: DCSM without the CRF. */
    public LabelMap unrefinedLabels() {
        return unrefinedLabels;
    }

    /** The candidate classes with their probabilities (unmodifiable), in the maps' channel order. */
    public List<Candidate> candidates() {
        return candidates;
    }

    /** A copy of the network's probability for every foreground class (index {@code k} = class id {@code k+1}). */
    public double[] probabilities() {
        return probabilities.clone();
    }

    /** The raw maps of Eq. 3 per layer and scale, when the pipeline keeps them and there were candidates. */
    public Optional<ClassMaps> rawMaps() {
        return Optional.ofNullable(rawMaps);
    }

    /** The fused distinct maps of Eq. 4–5 (one entry, image size, no background); empty without candidates. */
    public Optional<ClassMaps> fusedMaps() {
        return Optional.ofNullable(fusedMaps);
    }

    /**
     * The Eq. 7 maps the refiner received: background (class id 0) first, then the candidates the pipeline's
     * {@link CandidateMapRule} kept (all of them under the paper's rule).
     */
    public ClassMaps beforeRefinement() {
        return beforeRefinement;
    }

    /** The refiner's probabilities (for the dense CRF its marginals), same class ids as {@link #beforeRefinement()}. */
    public ClassMaps afterRefinement() {
        return afterRefinement;
    }

    /** Wall-clock milliseconds per step: {@code source}, {@code subtraction}, {@code fusion}, {@code refiner}. */
    public Map<String, Double> millis() {
        return millis;
    }

    @Override
    public String toString() {
        return "Segmentation[" + labels + ", candidates " + candidates + "]";
    }
}
