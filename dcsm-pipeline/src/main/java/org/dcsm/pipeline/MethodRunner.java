package org.dcsm.pipeline;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.core.LabelMap;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.dcsm.core.pipeline.Segmentation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Segments an image with a set of {@link Method}s at once, as {@code dcsm evaluate} and dcsm-spark's executors do:
 * DCSM with and without the CRF share one run (the pipeline returns both), the Simonyan baseline runs on its own
 * settings. Holds the pipelines, hence the model's network: <b>not thread-safe</b>, one runner per thread
 * (dcsm-spark keeps one per running task).
 */
public final class MethodRunner {

    /** One image's segmentations and labels per method (the DCSM_NOCRF entry shares DCSM's segmentation). */
    public record Result(Map<Method, Segmentation> segmentations, Map<Method, LabelMap> labels) {
        public Result {
            segmentations = Collections.unmodifiableMap(new EnumMap<>(segmentations));
            labels = Collections.unmodifiableMap(new EnumMap<>(labels));
        }
    }

    private final Set<Method> methods;
    private final Map<Method, DcsmPipeline> pipelines;

    private MethodRunner(Set<Method> methods, Map<Method, DcsmPipeline> pipelines) {
        this.methods = methods;
        this.pipelines = pipelines;
    }

    /**
     * The pipelines of {@code methods} on {@code model}.
     *
     * @param settings         DCSM's settings (for {@link Method#DCSM} and {@link Method#DCSM_NOCRF})
     * @param simonyanSettings the baseline's own settings ({@link MethodSettings#baseline})
     * @throws IllegalArgumentException when {@code methods} is empty or a setting does not fit the model
     */
    public static MethodRunner of(FcnModel model, MethodSettings settings, MethodSettings simonyanSettings,
                                  Set<Method> methods) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(simonyanSettings, "simonyanSettings");
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("At least one method must be run, found none");
        }
        Set<Method> wanted = EnumSet.copyOf(methods);
        Map<Method, DcsmPipeline> pipelines = new EnumMap<>(Method.class);
        if (wanted.contains(Method.SIMONYAN)) {
            pipelines.put(Method.SIMONYAN, DcsmPipelines.simonyan(model, simonyanSettings));
        }
        if (wanted.contains(Method.DCSM)) {
            pipelines.put(Method.DCSM, DcsmPipelines.from(model, settings));
        } else if (wanted.contains(Method.DCSM_NOCRF)) {
            pipelines.put(Method.DCSM_NOCRF, DcsmPipelines.forMethod(Method.DCSM_NOCRF, model, settings));
        }
        return new MethodRunner(Collections.unmodifiableSet(wanted), pipelines);
    }

    /** The methods run, in enum order. */
    public Set<Method> methods() {
        return methods;
    }

    /** Segments {@code image} ({@code 3×H×W} RGB, 0–255; not modified) with every method. */
    public Result run(INDArray image) {
        Map<Method, Segmentation> segs = new EnumMap<>(Method.class);
        Map<Method, LabelMap> labels = new EnumMap<>(Method.class);
        for (Map.Entry<Method, DcsmPipeline> e : pipelines.entrySet()) {
            Segmentation s = e.getValue().segment(image);
            segs.put(e.getKey(), s);
            if (e.getKey() == Method.DCSM) {
                labels.put(Method.DCSM, s.labels());
                if (methods.contains(Method.DCSM_NOCRF)) {
                    labels.put(Method.DCSM_NOCRF, s.unrefinedLabels());
                    segs.put(Method.DCSM_NOCRF, s);
                }
            } else {
                labels.put(e.getKey(), e.getKey() == Method.DCSM_NOCRF ? s.unrefinedLabels() : s.labels());
            }
        }
        return new Result(segs, labels);
    }
}
