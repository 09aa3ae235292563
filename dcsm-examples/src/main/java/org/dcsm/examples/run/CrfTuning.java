package org.dcsm.examples.run;

import java.util.ArrayList;
import java.util.List;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.core.LabelMap;
import org.dcsm.core.pipeline.BatchReport;
import org.dcsm.core.pipeline.BatchRunner;
import org.dcsm.core.pipeline.CrfGridSearch;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.dcsm.core.pipeline.ProgressListener;
import org.dcsm.core.pipeline.Refiner;
import org.dcsm.crf.KernelNormalization;
import org.dcsm.crf.pipeline.DenseCrfRefiner;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The CRF grid search of {@code dcsm tune-crf} (the paper chose w, theta_alpha, theta_beta, theta_gamma by a
 * grid search on val, §4.2): DCSM's Eq. 7 maps are computed once per image, then every grid point's CRF
 * refines them and is scored by mIoU ({@link CrfGridSearch}). It reads the pixel labels of the split it
 * tunes on: honest figures tune on one split and evaluate on another.
 */
public final class CrfTuning {

    /** The search's outcome: grid points best first, and the images that could not be used. */
    public record Result(List<CrfGridSearch.Score<CrfSettings>> ranked, BatchReport loading) {
        public CrfSettings best() {
            return ranked.get(0).params();
        }
    }

    private CrfTuning() {
    }

    /**
     * The grid: {@code w1} ∈ {1, 3, 5}, {@code theta_alpha} ∈ {10, 30, 60}, {@code theta_beta} ∈ {5, 10, 20},
     * {@code w2} ∈ {1, 3}, {@code theta_gamma} = 3, symmetric normalisation, 10 iterations (54 points); with
     * {@code full} also every normalisation mode (270 points). The paper's point is always included.
     */
    public static List<CrfSettings> grid(boolean full) {
        List<CrfSettings> grid = new ArrayList<>();
        List<KernelNormalization> norms = full ? List.of(KernelNormalization.values())
                : List.of(KernelNormalization.SYMMETRIC);
        for (KernelNormalization n : norms) {
            for (double w1 : new double[] {1, 3, 5}) {
                for (double alpha : new double[] {10, 30, 60}) {
                    for (double beta : new double[] {5, 10, 20}) {
                        for (double w2 : new double[] {1, 3}) {
                            grid.add(new CrfSettings(w1, alpha, beta, w2, 3, 10, n));
                        }
                    }
                }
            }
        }
        if (!grid.contains(CrfSettings.paper())) {
            grid.add(0, CrfSettings.paper());
        }
        return grid;
    }

    /**
     * Runs the search.
     *
     * @param items   images with masks (a failed one is reported and skipped)
     * @param loading progress of computing the maps
     * @param search  progress over the grid points
     */
    public static Result tune(FcnModel model, MethodSettings settings, List<EvalItem> items, List<CrfSettings> grid,
                              ProgressListener loading, ProgressListener search) {
        return tune(Methods.dcsm(model, settings), model, settings.threads(), items, grid, loading, search);
    }

    /**
     * Runs the search for the maps of any method's pipeline (its refiner is not used): e.g.
     * {@link Methods#simonyan} to tune the baseline's CRF on its own maps.
     */
    public static Result tune(DcsmPipeline pipeline, FcnModel model, int threads, List<EvalItem> items,
                              List<CrfSettings> grid, ProgressListener loading, ProgressListener search) {
        DcsmPipeline maps = pipeline.toBuilder().refiner(Refiner.argmax()).build();
        List<CrfGridSearch.Sample> samples = new ArrayList<>();
        BatchReport report = BatchRunner.run(items, items.size(), EvalItem::id, item -> {
            INDArray image = item.image();
            LabelMap truth = item.mask();
            samples.add(new CrfGridSearch.Sample(item.id(), image, maps.segment(image).beforeRefinement(), truth));
        }, loading);
        if (samples.isEmpty()) {
            throw new IllegalStateException("No image could be used for tuning: " + report.failures());
        }
        CrfGridSearch<CrfSettings> gs = CrfGridSearch.of(model.classes(), c -> DenseCrfRefiner.of(c.toCrf(threads)), grid);
        return new Result(gs.search(samples, search), report);
    }
}
