package org.dcsm.backprop.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.dcsm.core.ClassList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FcnModelTest {

    private static final VggStyleFcn TINY = SmallVggFcn.architecture().toBuilder()
            .name("Tiny").blockWidths(4, 8).blockDepths(1, 1).fc6Width(6).fc6Kernel(3).fc6Padding(1).fc7Width(5)
            .build();
    private static final ClassList CLASSES = ClassList.of("background", "cat", "dog");

    @Test
    void saveLoadRoundTripKeepsOutputsClassesArchitectureAndMetadata(@TempDir Path dir) throws IOException {
        FcnModel model = new FcnModel(TINY.buildInferenceNetwork(2, 9), CLASSES, TINY, 48,
                Map.of("crf.w1", "1.0", "note", "a b"));
        Path modelDir = dir.resolve("m");
        model.save(modelDir);
        assertThat(modelDir.resolve(FcnModel.MODEL_FILE)).isRegularFile();
        assertThat(modelDir.resolve(FcnModel.CLASSES_FILE)).isRegularFile();
        assertThat(modelDir.resolve(FcnModel.PROPERTIES_FILE)).isRegularFile();
        FcnModel loaded = FcnModel.load(modelDir);
        assertThat(loaded.classes()).isEqualTo(CLASSES);
        assertThat(loaded.architecture()).isEqualTo(TINY);
        assertThat(loaded.trainingInputSize()).isEqualTo(48);
        assertThat(loaded.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("crf.w1", "1.0", "note", "a b"));
        Nd4j.getRandom().setSeed(4);
        INDArray input = Nd4j.randn(DataType.FLOAT, 1, 3, 13, 9);
        assertThat(loaded.scoreMap(input)).isEqualTo(model.scoreMap(input));
        assertThat(loaded.scores(input)).isEqualTo(model.scores(input));
        assertThat(loaded.withMetadata("x", "y").metadata()).containsEntry("x", "y").hasSize(3);
    }

    @Test
    void loadingMissingDirectoryOrFileNamesIt(@TempDir Path dir) throws IOException {
        IOException noDir = assertThrows(IOException.class, () -> FcnModel.load(dir.resolve("nope")));
        assertThat(noDir.getMessage()).contains("Model directory not found").contains("nope");
        FcnModel.initialise(TINY, CLASSES, 1).save(dir);
        Files.delete(dir.resolve(FcnModel.CLASSES_FILE));
        IOException noFile = assertThrows(IOException.class, () -> FcnModel.load(dir));
        assertThat(noFile.getMessage()).contains("Model file not found").contains(FcnModel.CLASSES_FILE);
        CLASSES.write(dir.resolve(FcnModel.CLASSES_FILE));
        Files.writeString(dir.resolve(FcnModel.PROPERTIES_FILE), "format=dcsm-fcn-1\narchitecture=Tiny\n");
        IOException badProps = assertThrows(IOException.class, () -> FcnModel.load(dir));
        assertThat(badProps.getMessage()).contains("missing property 'arch.blockWidths'");
    }

    @Test
    void networkBreakingTheContractIsRejected() {
        IllegalArgumentException wrongK = assertThrows(IllegalArgumentException.class,
                () -> FcnModel.of(TINY.buildInferenceNetwork(3, 1), CLASSES, TINY));
        assertThat(wrongK.getMessage()).isEqualTo("fc8 has 3 outputs but the class list has 2 foreground classes");
        IllegalArgumentException training = assertThrows(IllegalArgumentException.class,
                () -> FcnModel.of(TINY.buildTrainingNetwork(2, false, 1, new org.nd4j.linalg.learning.config.Sgd(1),
                        0, 1), CLASSES, TINY));
        assertThat(training.getMessage()).contains("must be the ConvolutionLayer 'fc8'");
        IllegalArgumentException badKey = assertThrows(IllegalArgumentException.class,
                () -> new FcnModel(TINY.buildInferenceNetwork(2, 1), CLASSES, TINY, 0, Map.of("a=b", "c")));
        assertThat(badKey.getMessage()).contains("'a=b'");
    }
}
