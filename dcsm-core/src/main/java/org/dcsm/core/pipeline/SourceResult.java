package org.dcsm.core.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.dcsm.core.ClassMaps;

/**
 * What a {@link ClassMapSource} found in one image: the network's probability for every foreground
 * class (index {@code k} is class id {@code k + 1}), the chosen candidates, and their raw class maps
 * (one entry per layer and scale, channel {@code j} = candidate {@code j}, every entry covering exactly
 * the image's extent, at any resolution). Empty when there is no candidate.
 *
 * <p>Immutable: arrays are copied in and out; {@link ClassMaps} is itself immutable.
 */
public final class SourceResult {

    private final double[] probabilities;
    private final List<Candidate> candidates;
    private final ClassMaps rawMaps;

    /**
     * @param probabilities one per foreground class, in [0, 1]; copied
     * @param candidates    the candidates, in the channel order of {@code rawMaps}
     * @param rawMaps       their maps, or null when {@code candidates} is empty
     * @throws IllegalArgumentException when the candidates and the maps' class ids disagree
     */
    public SourceResult(double[] probabilities, List<Candidate> candidates, ClassMaps rawMaps) {
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(candidates, "candidates");
        for (int k = 0; k < probabilities.length; k++) {
            if (!(probabilities[k] >= 0 && probabilities[k] <= 1)) {
                throw new IllegalArgumentException("Probability of class id " + (k + 1) + " must be in [0, 1], found "
                        + probabilities[k]);
            }
        }
        if (candidates.isEmpty() != (rawMaps == null)) {
            throw new IllegalArgumentException("Raw maps must be given exactly when there are candidates, found "
                    + candidates.size() + " candidates and " + (rawMaps == null ? "no maps" : rawMaps));
        }
        if (rawMaps != null) {
            int[] ids = rawMaps.classIds();
            if (ids.length != candidates.size()) {
                throw new IllegalArgumentException("Raw maps have " + ids.length + " channels for "
                        + candidates.size() + " candidates " + candidates);
            }
            for (int j = 0; j < ids.length; j++) {
                if (ids[j] != candidates.get(j).classId()) {
                    throw new IllegalArgumentException("Raw map channel " + j + " is class id " + ids[j]
                            + " but candidate " + j + " is " + candidates.get(j));
                }
            }
        }
        this.probabilities = probabilities.clone();
        this.candidates = List.copyOf(candidates);
        this.rawMaps = rawMaps;
    }

    /** A copy of the per-class probabilities (index {@code k} = class id {@code k + 1}). */
    public double[] probabilities() {
        return probabilities.clone();
    }

    /** The candidates (unmodifiable), in channel order. */
    public List<Candidate> candidates() {
        return candidates;
    }

    /** The raw maps of the candidates; empty when there is no candidate. */
    public Optional<ClassMaps> rawMaps() {
        return Optional.ofNullable(rawMaps);
    }
}
