package org.dcsm.examples.quickstart;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.pipeline.SaliencyClassMapSource;
import org.dcsm.backprop.saliency.SaliencyExtractor;
import org.dcsm.backprop.saliency.SaliencyResult;
import org.dcsm.core.ClassMapSubtractor;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.MultiScaleAggregator;
import org.dcsm.core.preprocess.VggPreprocessor;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.pipeline.DenseCrfRefiner;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The README's quick start as compiled code: from a DL4J FCN and an RGB image to a segmentation,
 * one public building block per step — guided backprop (Eq. 3), subtraction (Eq. 4), fusion
 * (Eq. 5), background and unary (Eq. 7) and the dense CRF (Eq. 6, 8).
 */
public final class QuickStartExample {

    private QuickStartExample() {
    }

    /**
     * Segments one image with the paper's settings at a single scale.
     *
     * @param model a trained FCN following the network contract of {@code org.dcsm.backprop.net}
     * @param rgb   the image, 3×H×W, RGB 0..255 (as {@code ImageLoader} reads it); not modified
     * @param layers the layers whose derivatives become maps, e.g. {@link SaliencyExtractor#PAPER_LAYERS}
     * @return the label map of class ids (0 = background) at the image's size
     */
    public static LabelMap segment(FcnModel model, INDArray rgb, String... layers) {
        SaliencyExtractor extractor = SaliencyExtractor.forNetwork(model.network())
                .layers(layers)
                .guided(true).candidateThreshold(0.5).minCandidates(3)
                .build();
        SaliencyResult raw = extractor.extract(VggPreprocessor.vgg().prepare(rgb).input());
        ClassMaps distinct = ClassMapSubtractor.paper().subtract(raw.maps());
        ClassMaps fused = MultiScaleAggregator.builder().alpha(3)
                .outputSize((int) rgb.size(1), (int) rgb.size(2)).build()
                .aggregate(distinct);
        return DenseCrf.paper().infer(rgb, fused);
    }

    /**
     * The README's one-call form: the same steps assembled by {@link DcsmPipeline#paper}.
     *
     * @param extractor the saliency extractor (as built in {@link #segment})
     * @return a pipeline whose {@code segment(rgb)} runs every step
     */
    public static DcsmPipeline pipeline(SaliencyExtractor extractor) {
        return DcsmPipeline.paper(SaliencyClassMapSource.of(extractor, rgb -> VggPreprocessor.vgg().prepare(rgb).input()),
                DenseCrfRefiner.of(DenseCrf.paper()));
    }
}
