package org.dcsm.examples.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.core.voc.VocDataset;

/** Loading a model folder with messages that say what is wrong, and checks between a model and a dataset. */
public final class ModelFiles {

    private ModelFiles() {
    }

    /**
     * Loads a model saved by {@code dcsm train}.
     *
     * @throws IOException naming the folder when it is missing or not a model
     */
    public static FcnModel load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("Model folder not found: " + dir.toAbsolutePath() + " (create one with dcsm train)");
        }
        if (!Files.isRegularFile(dir.resolve(FcnModel.MODEL_FILE))) {
            throw new IOException("Not a dcsm model folder: " + dir.toAbsolutePath() + " has no " + FcnModel.MODEL_FILE
                    + " (create one with dcsm train)");
        }
        return FcnModel.load(dir);
    }

    /**
     * @throws IllegalArgumentException when the model was trained on other classes than the dataset's
     */
    public static void requireSameClasses(FcnModel model, VocDataset voc) {
        if (!model.classes().equals(voc.classes())) {
            throw new IllegalArgumentException("The model's classes " + model.classes().names() + " differ from the "
                    + "dataset's " + voc.classes().names() + " (pass --classes with the model's classes.txt?)");
        }
    }
}
