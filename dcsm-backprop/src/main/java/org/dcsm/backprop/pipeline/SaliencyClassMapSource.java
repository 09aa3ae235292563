package org.dcsm.backprop.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

import org.dcsm.backprop.saliency.SaliencyExtractor;
import org.dcsm.backprop.saliency.SaliencyResult;
import org.dcsm.core.pipeline.Candidate;
import org.dcsm.core.pipeline.ClassMapSource;
import org.dcsm.core.pipeline.SourceResult;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Steps 1–3 of DCSM for {@link org.dcsm.core.pipeline.DcsmPipeline}, on a DL4J network: preprocesses
 * the RGB image (e.g. the network's mean subtraction), runs a {@link SaliencyExtractor} (guided or plain
 * backprop to the chosen layers at the chosen scales, Eq. 1–3; the Simonyan baseline when built with
 * {@link SaliencyExtractor#simonyan}) and hands over its candidates, probabilities and raw maps.
 *
 * <p>The preprocessing must keep the image's geometry (same height and width), because the pipeline
 * needs maps covering the image; a preprocessing that changes the size is reported as an error.
 * Immutable; as thread-safe as the extractor.
 */
public final class SaliencyClassMapSource implements ClassMapSource {

    private final SaliencyExtractor extractor;
    private final UnaryOperator<INDArray> preprocess;

    private SaliencyClassMapSource(SaliencyExtractor extractor, UnaryOperator<INDArray> preprocess) {
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        this.preprocess = Objects.requireNonNull(preprocess, "preprocess");
    }

    /**
     * @param extractor  the configured extractor
     * @param preprocess from the {@code 3×H×W} 0–255 RGB image to the network's input, same H and W; must
     *                   not modify its argument. Its result is closed after the extraction unless it is the image
     *                   itself or shares the image's memory: return a new array (as {@code VggPreprocessor} does),
     *                   never one that is kept elsewhere
     */
    public static SaliencyClassMapSource of(SaliencyExtractor extractor, UnaryOperator<INDArray> preprocess) {
        return new SaliencyClassMapSource(extractor, preprocess);
    }

    /** The extractor this source runs. */
    public SaliencyExtractor extractor() {
        return extractor;
    }

    /**
     * @throws IllegalArgumentException when the preprocessing changed the image size, or the extractor
     *                                  rejects the image (too small for the network, wrong channels)
     */
    @Override
    public SourceResult extract(INDArray image) {
        long h = image.size(image.rank() - 2);
        long w = image.size(image.rank() - 1);
        INDArray input = preprocess.apply(image);
        if (input.size(input.rank() - 2) != h || input.size(input.rank() - 1) != w) {
            throw new IllegalArgumentException("Preprocessing changed the image size from " + h + "x" + w + " to "
                    + input.size(input.rank() - 2) + "x" + input.size(input.rank() - 1)
                    + " (height x width); the pipeline needs maps covering the original image");
        }
        SaliencyResult r;
        try {
            r = extractor.extract(input);
        } finally {
            closeIfMade(input, image);
        }
        double[] p = r.probabilities();
        List<Candidate> candidates = new ArrayList<>();
        for (int id : r.classIds()) {
            candidates.add(new Candidate(id, p[id - 1]));
        }
        return new SourceResult(p, candidates, r.isEmpty() ? null : r.maps());
    }

    /** Closes the preprocessing's result when it is an array of its own (not the image, nor a view of it). */
    private static void closeIfMade(INDArray input, INDArray image) {
        if (input != image && !input.wasClosed() && input.closeable()
                && input.data().address() != image.data().address()) {
            input.close();
        }
    }

    @Override
    public String toString() {
        return "SaliencyClassMapSource[" + extractor + "]";
    }
}
