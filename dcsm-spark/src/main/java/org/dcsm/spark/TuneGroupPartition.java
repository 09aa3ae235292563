package org.dcsm.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.dcsm.core.ClassList;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.crf.CrfSettings;
import org.dcsm.crf.DenseCrf;
import org.dcsm.pipeline.CrfTuning;

import scala.Tuple2;

/**
 * What each task of {@link DcsmSpark#tuneCrf}'s second stage runs: pairs (sample, θ-group index), in practice the
 * samples of one first-stage partition with one θ-group of the grid ({@link CrfTuning#thetaGroups}). For each sample
 * it runs the group's points, every weight, mode and alpha, on one lattice build ({@link CrfTuning#score}), and
 * emits one {@link MatrixSums} of the counts of the group's (alpha, point)s. The CRFs are built once per task and
 * group. No model is involved: only the CRF's arrays live in the task (one sample and its lattices at a time).
 */
final class TuneGroupPartition implements FlatMapFunction<Iterator<Tuple2<TuneRecord, Integer>>, MatrixSums<Integer>> {

    private static final long serialVersionUID = 1L;

    private final List<String> classes; // ClassList is not serializable: its names travel
    private final List<CrfSettings> grid;
    private final int alphas;
    private final int threads;

    TuneGroupPartition(ClassList classes, List<CrfSettings> grid, int alphas, int threads) {
        this.classes = List.copyOf(classes.names());
        this.grid = List.copyOf(grid);
        this.alphas = alphas;
        this.threads = threads;
    }

    @Override
    public Iterator<MatrixSums<Integer>> call(Iterator<Tuple2<TuneRecord, Integer>> pairs) {
        ClassList classList = ClassList.of(classes);
        List<List<Integer>> groups = CrfTuning.thetaGroups(grid);
        List<DenseCrf> crfs = new ArrayList<>(grid.size());
        for (int g = 0; g < grid.size(); g++) {
            crfs.add(null);
        }
        Map<Integer, ConfusionMatrix[][]> byGroup = new HashMap<>();
        while (pairs.hasNext()) {
            Tuple2<TuneRecord, Integer> pair = pairs.next();
            int group = pair._2();
            List<Integer> points = groups.get(group);
            ConfusionMatrix[][] cm = byGroup.computeIfAbsent(group, k -> {
                ConfusionMatrix[][] m = new ConfusionMatrix[alphas][grid.size()];
                for (int g : points) {
                    crfs.set(g, grid.get(g).toCrf(threads));
                    for (int a = 0; a < alphas; a++) {
                        m[a][g] = ConfusionMatrix.of(classList);
                    }
                }
                return m;
            });
            CrfTuning.score(pair._1().sample(), List.of(points), crfs, cm);
        }
        MatrixSums<Integer> tally = new MatrixSums<>();
        byGroup.forEach((group, cm) -> {
            for (int g : groups.get(group)) {
                for (int a = 0; a < alphas; a++) {
                    tally.add(a * grid.size() + g, cm[a][g]);
                }
            }
        });
        return List.of(tally).iterator();
    }
}
