package org.dcsm.examples.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.backprop.train.LabeledImage;
import org.dcsm.backprop.train.MultiLabelEvaluation;
import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ClassificationSinkTest {

    private static final ClassList CLASSES = ClassList.of("background", "a", "b", "c");

    private static Evaluator.Outcome outcome(String id, INDArray image, LabelMap truth) {
        return new Evaluator.Outcome(id, image, truth, Map.of(), Map.of());
    }

    @Test
    void streamedImagesScoreAsTheBatchEvaluationOfTheSameImages() {
        FcnModel model = FcnModel.initialise(SmallVggFcn.architecture(), CLASSES, 7L);
        Nd4j.getRandom().setSeed(5);
        ClassificationSink sink = new ClassificationSink(model);
        List<LabeledImage> same = new ArrayList<>();
        int[][] labels = {{1}, {2, 3}, {}, {1, 3}};
        for (int i = 0; i < labels.length; i++) {
            INDArray rgb = Nd4j.rand(DataType.FLOAT, 3, 36, 44).muli(255);
            int[] ids = new int[36 * 44];
            for (int j = 0; j < labels[i].length; j++) {
                ids[j] = labels[i][j];
            }
            sink.accept(outcome("im" + i, rgb, LabelMap.of(44, 36, ids)));
            if (labels[i].length > 0) {
                same.add(LabeledImage.fromRgb(rgb, labels[i]));
            }
        }
        MultiLabelEvaluation streamed = sink.evaluation().orElseThrow();
        MultiLabelEvaluation batch = MultiLabelEvaluation.evaluate(model, same);
        assertThat(streamed.imageCount()).isEqualTo(3);
        assertThat(sink.imagesWithoutLabels()).isEqualTo(1);
        assertThat(streamed.averagePrecisions()).containsExactly(batch.averagePrecisions());
        assertThat(streamed.exactMatchAccuracy()).isEqualTo(batch.exactMatchAccuracy());
    }

    @Test
    void noImageGivesNoEvaluation() {
        FcnModel model = FcnModel.initialise(SmallVggFcn.architecture(), CLASSES, 7L);
        assertThat(new ClassificationSink(model).evaluation()).isEmpty();
    }

    @Test
    void chainedSinksRunInOrderAndStopAtTheFirstFailure() throws Exception {
        List<String> seen = new ArrayList<>();
        Evaluator.OutcomeSink first = o -> seen.add("first " + o.id());
        Evaluator.OutcomeSink second = o -> seen.add("second " + o.id());
        LabelMap truth = LabelMap.filled(1, 1, 0);
        first.andThen(second).accept(outcome("x", Nd4j.zeros(DataType.FLOAT, 3, 1, 1), truth));
        assertThat(seen).containsExactly("first x", "second x");
        assertThat(first.andThen(null)).isSameAs(first);

        Evaluator.OutcomeSink failing = o -> {
            throw new IllegalStateException("cannot write " + o.id());
        };
        seen.clear();
        assertThat(assertThrows(IllegalStateException.class,
                () -> failing.andThen(second).accept(outcome("y", Nd4j.zeros(DataType.FLOAT, 3, 1, 1), truth)))
                .getMessage()).isEqualTo("cannot write y");
        assertThat(seen).isEmpty();
    }
}
