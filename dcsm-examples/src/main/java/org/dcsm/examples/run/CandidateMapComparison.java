package org.dcsm.examples.run;

import org.dcsm.pipeline.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.Unary;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.core.eval.SegmentationScores;
import org.dcsm.core.pipeline.CandidateMapRule;
import org.dcsm.core.pipeline.Refiner;
import org.dcsm.core.pipeline.Segmentation;

/**
 * Scores DCSM under several {@link CandidateMapRule}s in one pass (issue 11, item 6; the rules other than
 * the paper's are beyond the paper): for each image it takes the fused Eq. 5 maps of DCSM's segmentation,
 * applies each rule, and scores the argmax ("w/o CRF") and the refiner's labels ("+ CRF"). The source and
 * Eq. 4–5 run once per image; each rule adds only Eq. 7 and one refinement. Same images and same candidates
 * for every rule, so the rows differ by the rule alone.
 *
 * <p>An {@link Evaluator.OutcomeSink}: give it to {@link Evaluator} with {@link Method#DCSM} or
 * {@link Method#DCSM_NOCRF} among the methods, as the <b>last</b> sink (an image it has scored is not
 * taken back when a later sink fails). One image at a time (as {@code BatchRunner} calls it); not thread-safe.
 */
public final class CandidateMapComparison implements Evaluator.OutcomeSink {

    private final Map<String, CandidateMapRule> rules;
    private final Refiner refiner;
    private final List<ConfusionMatrix> withoutRefiner = new ArrayList<>();
    private final List<ConfusionMatrix> withRefiner = new ArrayList<>();

    /**
     * @param classes the model's classes
     * @param rules   the rules by display name, in row order (at least one); copied
     * @param refiner DCSM's refiner (its CRF)
     */
    public CandidateMapComparison(ClassList classes, Map<String, CandidateMapRule> rules, Refiner refiner) {
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(refiner, "refiner");
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("At least one candidate-map rule must be compared, found none");
        }
        this.rules = new LinkedHashMap<>(rules);
        this.refiner = refiner;
        for (int i = 0; i < rules.size(); i++) {
            withoutRefiner.add(ConfusionMatrix.of(classes));
            withRefiner.add(ConfusionMatrix.of(classes));
        }
    }

    @Override
    public void accept(Evaluator.Outcome outcome) {
        Segmentation s = outcome.segmentations().get(Method.DCSM);
        if (s == null) {
            s = outcome.segmentations().get(Method.DCSM_NOCRF);
        }
        if (s == null) {
            throw new IllegalStateException("Comparing candidate-map rules needs DCSM among the evaluated methods, "
                    + "found " + outcome.segmentations().keySet());
        }
        List<LabelMap> plain = new ArrayList<>();
        List<LabelMap> refined = new ArrayList<>();
        for (CandidateMapRule rule : rules.values()) {
            if (s.fusedMaps().isEmpty()) {
                // no candidate: all background under every rule
                plain.add(s.unrefinedLabels());
                refined.add(s.unrefinedLabels());
                continue;
            }
            ClassMaps before = rule.apply(s.fusedMaps().get(), s.candidates());
            plain.add(Unary.argmax(before));
            refined.add(refiner.refine(outcome.image(), before).labels());
        }
        for (int i = 0; i < plain.size(); i++) {
            withoutRefiner.get(i).add(outcome.truth(), plain.get(i));
            withRefiner.get(i).add(outcome.truth(), refined.get(i));
        }
    }

    /** Scores by row title ({@code "<name>, DCSM w/o CRF"} and {@code "<name>, DCSM + CRF"}), rules in order. */
    public Map<String, SegmentationScores> scores() {
        Map<String, SegmentationScores> out = new LinkedHashMap<>();
        int i = 0;
        for (String name : rules.keySet()) {
            out.put(name + ", " + Method.DCSM_NOCRF.title(), withoutRefiner.get(i).scores());
            out.put(name + ", " + Method.DCSM.title(), withRefiner.get(i).scores());
            i++;
        }
        return out;
    }
}
