package org.dcsm.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.dcsm.backprop.net.FcnLayers;
import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.pipeline.SaliencyClassMapSource;
import org.dcsm.backprop.saliency.SaliencyExtractor;
import org.dcsm.core.ClassMapSubtractor;
import org.dcsm.core.MultiScaleAggregator;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.dcsm.core.pipeline.MapFusion;
import org.dcsm.core.pipeline.Refiner;
import org.dcsm.core.preprocess.VggPreprocessor;
import org.dcsm.crf.pipeline.DenseCrfRefiner;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The library's entry point from a trained model to the paper's pipeline:
 * <pre>{@code
 * FcnModel model = FcnModel.load(Path.of("my-model"));
 * DcsmPipeline dcsm = DcsmPipelines.paper(model);                        // Eq. 3-8 with the paper's settings
 * LabelMap labels = dcsm.segment(ImageLoader.defaults().read(Path.of("dog.jpg"))).labels();  // class ids
 * }</pre>
 * {@link #from(FcnModel, MethodSettings)} takes other settings (the ablations of Tables 2-5, tuned CRF
 * parameters: {@link MethodSettings}, {@link MethodPreset}), {@link #simonyan} gives the paper's baseline.
 * The settings are validated once, by {@link MethodSettings} and the builders of the steps it configures.
 *
 * <p>The pipelines of the compared methods: DCSM (guided backprop to the
 * chosen blocks' convolutions at the chosen scales, Eq. 4, Eq. 5, Eq. 7 by the settings' candidate-map rule, dense
 * CRF; its
 * {@code unrefinedLabels} are "DCSM w/o CRF") and the Simonyan baseline (plain backprop of the pooled class
 * score to the input image, no subtraction, Eq. 5's normalisation with its own alpha, Eq. 7 by the same
 * candidate-map rule, its own CRF).
 * Stateless.
 */
public final class DcsmPipelines {

    private DcsmPipelines() {
    }

    /**
     * DCSM with the paper's settings ({@link MethodSettings#paper(int)}: blocks 3-5, guided backprop, candidates
     * p &gt; 0.5 (at least 3), scales 0.8, 1.0 and 1.2 times each image's longest side, Eq. 4 as printed, alpha 3,
     * Eq. 7 as printed, the paper's dense CRF) on one thread per step. Its {@code unrefinedLabels} are DCSM
     * without the CRF.
     *
     * @param model a trained FCN following the network contract of {@code org.dcsm.backprop.net}
     * @throws IllegalArgumentException when the model has fewer than 5 VGG blocks (use {@link #from} with
     *                                  {@link MethodSettings#withBlocks})
     */
    public static DcsmPipeline paper(FcnModel model) {
        return from(model, MethodSettings.paper(1));
    }

    /**
     * DCSM with the given settings (what {@code dcsm segment} and {@code dcsm evaluate} run).
     *
     * @throws IllegalArgumentException when a block of {@code settings} does not exist in the model
     */
    public static DcsmPipeline from(FcnModel model, MethodSettings settings) {
        return DcsmPipeline.builder(SaliencyClassMapSource.of(dcsmExtractor(model, settings), preprocessing()),
                        crfRefiner(settings))
                .subtraction(ClassMapSubtractor.builder().rule(settings.subtraction()).threads(settings.threads()).build()::subtract)
                .fusion(MapFusion.of(aggregator(settings)))
                .candidateMaps(settings.candidateMaps())
                .build();
    }

    /** The network input of an RGB image: VGG preprocessing (BGR, ImageNet mean subtracted), same size. */
    public static UnaryOperator<INDArray> preprocessing() {
        VggPreprocessor vgg = VggPreprocessor.vgg();
        return rgb -> vgg.prepare(rgb).input();
    }

    /**
     * The names of the 3×3 convolutions of the given 1-based VGG blocks, in network order.
     *
     * @throws IllegalArgumentException when a block does not exist in the model
     */
    public static List<String> layersOfBlocks(FcnModel model, int... blocks) {
        List<String> all = model.architecture().convLayerNames();
        List<String> out = new ArrayList<>();
        for (int b : blocks) {
            if (b > model.architecture().blockCount()) {
                throw new IllegalArgumentException("Block " + b + " does not exist: the model has "
                        + model.architecture().blockCount() + " blocks (layers " + all + ")");
            }
            for (String name : all) {
                if (name.startsWith(FcnLayers.convPrefix(b))) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /**
     * Eq. 5 with {@code s.alpha()} and per-map max normalisation on {@code s.threads()}: one aggregator for every image
     * the pipeline segments (the size is per call).
     */
    public static MultiScaleAggregator aggregator(MethodSettings s) {
        return MultiScaleAggregator.builder().alpha(s.alpha()).normalization(MultiScaleAggregator.Normalization.MAX)
                .threads(s.threads()).build();
    }

    /** The dense CRF of {@code s} ({@link MethodSettings#crf()} on {@link MethodSettings#threads()}) as a refiner. */
    public static Refiner crfRefiner(MethodSettings s) {
        return DenseCrfRefiner.of(s.crf().toCrf(s.threads()));
    }

    /**
     * The Simonyan baseline: input-gradient saliency at the image's own size (one map per candidate,
     * {@code max |grad|} over colours) of {@code s.seed()} (the pooled class score, Eq. 2, for the settings of
     * {@link MethodSettings#baseline}), same candidates rule, no Eq. 4, Eq. 5's normalisation with
     * {@code s.alpha()}, Eq. 7 by {@code s.candidateMaps()}, {@code s.crf()}. Give it {@link MethodSettings#baseline} settings.
     */
    public static DcsmPipeline simonyan(FcnModel model, MethodSettings s) {
        return DcsmPipeline.builder(SaliencyClassMapSource.of(simonyanExtractor(model, s), preprocessing()),
                        crfRefiner(s))
                .subtraction(ClassMapSubtractor.none()::subtract)
                .fusion(MapFusion.of(aggregator(s)))
                .candidateMaps(s.candidateMaps())
                .build();
    }

    /** DCSM's saliency extractor (the first steps of {@link #from}). */
    public static SaliencyExtractor dcsmExtractor(FcnModel model, MethodSettings s) {
        return SaliencyExtractor.forNetwork(model.network()).layers(layersOfBlocks(model, s.blocks()))
                .guided(s.guided()).candidateThreshold(s.threshold()).minCandidates(s.minCandidates())
                .scales(s.scales()).scaleFactors(s.scaleFactors()).derivativeAt(s.point()).seed(s.seed()).build();
    }

    /** The Simonyan baseline's saliency extractor (the first steps of {@link #simonyan}). */
    public static SaliencyExtractor simonyanExtractor(FcnModel model, MethodSettings s) {
        return SaliencyExtractor.simonyan(model.network()).candidateThreshold(s.threshold())
                .minCandidates(s.minCandidates()).seed(s.seed()).build();
    }

    /**
     * The pipeline that gives {@code method}'s labels (for {@link Method#DCSM_NOCRF} the CRF is replaced by
     * argmax). For {@link Method#SIMONYAN} give the baseline's own settings ({@link MethodSettings#baseline}).
     */
    public static DcsmPipeline forMethod(Method method, FcnModel model, MethodSettings s) {
        return switch (method) {
            case SIMONYAN -> simonyan(model, s);
            case DCSM -> from(model, s);
            case DCSM_NOCRF -> from(model, s).toBuilder().refiner(Refiner.argmax()).build();
        };
    }
}
