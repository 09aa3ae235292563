package org.dcsm.examples.quickstart;

import java.io.IOException;
import java.nio.file.Path;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.saliency.SaliencyExtractor;
import org.dcsm.backprop.saliency.SaliencyResult;
import org.dcsm.core.ClassMapSubtractor;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.MultiScaleAggregator;
import org.dcsm.core.io.ImageLoader;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.dcsm.core.preprocess.VggPreprocessor;
import org.dcsm.crf.DenseCrf;
import org.dcsm.pipeline.DcsmPipelines;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The README's quick start as compiled code: load a trained model, build the paper's pipeline, segment an image
 * ({@link #segment}); and the same steps one public building block at a time ({@link #stepByStep}): guided
 * backprop (Eq. 3), subtraction (Eq. 4), fusion (Eq. 5), background and unary (Eq. 7, 6) and the dense CRF (Eq. 8).
 */
public final class QuickStartExample {

    private QuickStartExample() {
    }

    /**
     * Segments one image with the paper's pipeline ({@link DcsmPipelines#paper}).
     *
     * @param modelDir a model folder written by {@code dcsm train} or {@link FcnModel#save}
     * @param image    a JPEG or PNG file
     * @return the label map of class ids (0 = background) at the image's size
     * @throws IOException naming the file when the model or the image cannot be read
     */
    public static LabelMap segment(Path modelDir, Path image) throws IOException {
        FcnModel model = FcnModel.load(modelDir);
        DcsmPipeline dcsm = DcsmPipelines.paper(model);
        return dcsm.segment(ImageLoader.defaults().read(image)).labels();
    }

    /**
     * The same kind of segmentation assembled step by step, at a single scale (the image's own size) and from the
     * given layers.
     *
     * @param model  a trained FCN following the network contract of {@code org.dcsm.backprop.net}
     * @param rgb    the image, 3×H×W, RGB 0..255 (as {@code ImageLoader} reads it); not modified
     * @param layers the layers whose derivatives become maps, e.g. {@link SaliencyExtractor#PAPER_LAYERS}
     * @return the label map of class ids (0 = background) at the image's size
     */
    public static LabelMap stepByStep(FcnModel model, INDArray rgb, String... layers) {
        SaliencyExtractor extractor = SaliencyExtractor.forNetwork(model.network())
                .layers(layers)
                .guided(true).candidateThreshold(0.5).minCandidates(3)
                .build();
        SaliencyResult raw = extractor.extract(VggPreprocessor.vgg().prepare(rgb).input());
        ClassMaps distinct = ClassMapSubtractor.paper().subtract(raw.maps());
        ClassMaps fused = MultiScaleAggregator.paper().aggregate(distinct, (int) rgb.size(1), (int) rgb.size(2));
        return DenseCrf.paper().infer(rgb, fused);
    }
}
