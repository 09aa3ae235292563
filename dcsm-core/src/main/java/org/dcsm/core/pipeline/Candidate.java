package org.dcsm.core.pipeline;

/**
 * A candidate class of one image (paper §3.3): a foreground class id (≥ 1, as in
 * {@link org.dcsm.core.ClassList}) with the network's probability for it (sigmoid of the class score,
 * Eq. 2), in [0, 1].
 */
public record Candidate(int classId, double score) {

    /** @throws IllegalArgumentException when the id is below 1 or the score is not in [0, 1] */
    public Candidate {
        if (classId < 1) {
            throw new IllegalArgumentException("Candidate class id must be >= 1 (0 is the background), found "
                    + classId);
        }
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("Candidate score must be in [0, 1], found " + score
                    + " for class id " + classId);
        }
    }
}
