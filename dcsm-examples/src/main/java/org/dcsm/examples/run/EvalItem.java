package org.dcsm.examples.run;

import java.io.IOException;
import java.util.Objects;

import org.dcsm.core.LabelMap;
import org.dcsm.core.UntrustedText;
import org.dcsm.core.voc.VocSample;
import org.dcsm.examples.data.Scene;
import org.dcsm.pipeline.CrfTuning;
import org.dcsm.pipeline.ItemCost;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One image to segment and score, loaded lazily so that a corrupt file or a missing mask fails this
 * item only: an id, the {@code 3×H×W} RGB image (0–255) and its ground-truth mask (class ids, 255 void), as
 * {@link CrfTuning.Item} (which tuning reads).
 */
public interface EvalItem extends CrfTuning.Item {

    /** A VOC sample (files read on each call). */
    static EvalItem of(VocSample sample) {
        return voc(sample, null);
    }

    /**
     * A VOC sample whose image is checked against {@code cost} from its header before it is decoded: an image
     * over the budget fails this item only, with a message naming its file, size, estimate and the budget.
     */
    static EvalItem of(VocSample sample, ItemCost cost) {
        return voc(sample, Objects.requireNonNull(cost, "cost"));
    }

    private static EvalItem voc(VocSample sample, ItemCost cost) {
        Objects.requireNonNull(sample, "sample");
        return new EvalItem() {
            @Override
            public String id() {
                return sample.id();
            }

            @Override
            public INDArray image() throws IOException {
                if (cost != null) {
                    cost.check(UntrustedText.printable(sample.imagePath().getFileName().toString()),
                            sample.imageSize());
                }
                return sample.image();
            }

            @Override
            public LabelMap mask() throws IOException {
                return sample.mask();
            }
        };
    }

    /** An in-memory scene. */
    static EvalItem of(Scene scene) {
        Objects.requireNonNull(scene, "scene");
        return new EvalItem() {
            @Override
            public String id() {
                return scene.id();
            }

            @Override
            public INDArray image() {
                return scene.image();
            }

            @Override
            public LabelMap mask() {
                return scene.mask();
            }
        };
    }
}
