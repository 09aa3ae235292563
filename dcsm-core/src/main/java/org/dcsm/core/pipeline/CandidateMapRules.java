package org.dcsm.core.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.dcsm.core.BackgroundEstimator;
import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMaps;
import org.nd4j.linalg.factory.Nd4j;

/** The rules of {@link CandidateMapRule}'s factories, as immutable, serializable values (enums and a record). */
final class CandidateMapRules {

    private CandidateMapRules() {
    }

    /** Eq. 7 as printed. */
    enum Paper implements CandidateMapRule {
        INSTANCE;

        @Override
        public ClassMaps apply(ClassMaps fused, List<Candidate> candidates) {
            requireMatching(fused, candidates);
            return fused.withBackground();
        }

        @Override
        public String toString() {
            return "paper (Eq. 7 over every candidate)";
        }
    }

    /** {@code M^c ← p_c·M^c}, then Eq. 7. */
    enum ProbabilityWeighted implements CandidateMapRule {
        INSTANCE;

        @Override
        public ClassMaps apply(ClassMaps fused, List<Candidate> candidates) {
            requireMatching(fused, candidates);
            double[] weights = candidates.stream().mapToDouble(Candidate::score).toArray();
            return weightedWithBackground(fused, candidates, allChannels(candidates.size()), weights);
        }

        @Override
        public String toString() {
            return "probability (beyond the paper: M^c <- p_c*M^c before Eq. 7)";
        }
    }

    /**
     * Only candidates with {@code p > minProbability} (at least the most probable), each map times its
     * probability when {@code weighted}, then Eq. 7.
     */
    record ConfidentOnly(double minProbability, boolean weighted) implements CandidateMapRule, java.io.Serializable {

        ConfidentOnly {
            if (!(minProbability >= 0 && minProbability <= 1)) {
                throw new IllegalArgumentException("minProbability must be in [0, 1], found " + minProbability);
            }
        }

        @Override
        public ClassMaps apply(ClassMaps fused, List<Candidate> candidates) {
            requireMatching(fused, candidates);
            int[] kept = confidentChannels(candidates, minProbability);
            if (kept.length == candidates.size() && !weighted) {
                return fused.withBackground();
            }
            double[] weights = new double[kept.length];
            for (int i = 0; i < kept.length; i++) {
                weights[i] = weighted ? candidates.get(kept[i]).score() : 1.0;
            }
            return weightedWithBackground(fused, candidates, kept, weights);
        }

        @Override
        public String toString() {
            return weighted
                    ? String.format(Locale.ROOT, "confident-probability:%s (beyond the paper: only candidates with "
                            + "p > %s, at least the most probable, each map times p_c, enter Eq. 7 and the CRF)",
                            minProbability, minProbability)
                    : String.format(Locale.ROOT, "confident:%s (beyond the paper: only candidates with p > %s, at "
                            + "least the most probable, enter Eq. 7 and the CRF)", minProbability, minProbability);
        }
    }

    /** Channel indices of the candidates with {@code p > min}, or of the most probable one when there is none. */
    static int[] confidentChannels(List<Candidate> candidates, double min) {
        int[] kept = new int[candidates.size()];
        int n = 0;
        int best = 0;
        for (int j = 0; j < candidates.size(); j++) {
            double p = candidates.get(j).score();
            if (p > min) {
                kept[n++] = j;
            }
            if (p > candidates.get(best).score()) {
                best = j;
            }
        }
        return n == 0 ? new int[] {best} : Arrays.copyOf(kept, n);
    }

    private static int[] allChannels(int count) {
        int[] all = new int[count];
        for (int j = 0; j < count; j++) {
            all[j] = j;
        }
        return all;
    }

    /** Background of Eq. 7 over {@code weights[i]·M^{channels[i]}}, then those weighted maps. */
    private static ClassMaps weightedWithBackground(ClassMaps fused, List<Candidate> candidates, int[] channels,
                                                    double[] weights) {
        ClassMaps.Entry entry = fused.entries().get(0);
        int h = entry.height();
        int w = entry.width();
        int plane = h * w;
        float[] all = entry.toFloatArray();
        for (float v : all) {
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException("Candidate-map rules need fused maps in [0, 1] (after Eq. 5), "
                        + "found " + v);
            }
        }
        float[] kept = new float[channels.length * plane];
        int[] ids = new int[channels.length + 1];
        ids[0] = ClassList.BACKGROUND;
        for (int i = 0; i < channels.length; i++) {
            ids[i + 1] = candidates.get(channels[i]).classId();
            double weight = weights[i];
            int from = channels[i] * plane;
            int to = i * plane;
            for (int k = 0; k < plane; k++) {
                kept[to + k] = (float) (weight * all[from + k]);
            }
        }
        float[] out = BackgroundEstimator.background(kept, channels.length, plane, null);
        return ClassMaps.of(ids, Nd4j.create(out, new long[] {channels.length + 1, h, w}, 'c'));
    }

    private static void requireMatching(ClassMaps fused, List<Candidate> candidates) {
        Objects.requireNonNull(fused, "fused");
        Objects.requireNonNull(candidates, "candidates");
        if (fused.entries().size() != 1) {
            throw new IllegalArgumentException("Candidate-map rules need one fused entry (after Eq. 5), found "
                    + fused.entries());
        }
        int[] ids = fused.classIds();
        int[] wanted = candidates.stream().mapToInt(Candidate::classId).toArray();
        if (!Arrays.equals(ids, wanted)) {
            throw new IllegalArgumentException("Fused maps have class ids " + Arrays.toString(ids)
                    + " but the candidates are " + candidates);
        }
    }
}
