package org.dcsm.backprop.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.dcsm.core.ClassList;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link FcnModel#load} on a model folder whose {@code model.zip} and {@code model.properties} are
 * fuzzed: it gives a model or an {@link IOException}; nothing else may escape (no OutOfMemoryError from a
 * declared size, no deserialisation, no unchecked exception).
 */
class ModelFolderFuzzTest {

    static final VggStyleFcn TINY = SmallVggFcn.architecture().toBuilder()
            .name("Tiny").blockWidths(2, 2).blockDepths(1, 1).fc6Width(2).fc6Kernel(1).fc6Padding(0).fc7Width(2)
            .build();
    private static final Path DIR = folder("dcsm-fuzz-model");
    private static final String PROPERTIES;

    static {
        try {
            FcnModel.initialise(TINY, ClassList.of("background", "cat"), 1).save(DIR);
            PROPERTIES = Files.readString(DIR.resolve(FcnModel.PROPERTIES_FILE), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A temporary folder deleted at exit (when empty). */
    static Path folder(String prefix) {
        try {
            Path d = Files.createTempDirectory(prefix);
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void modelFolder(FuzzedDataProvider data) throws IOException {
        boolean fuzzProperties = data.consumeBoolean();
        if (fuzzProperties) {
            Files.writeString(DIR.resolve(FcnModel.PROPERTIES_FILE), data.consumeString(4000));
        } else {
            Files.writeString(DIR.resolve(FcnModel.PROPERTIES_FILE), PROPERTIES);
        }
        Files.write(DIR.resolve(FcnModel.MODEL_FILE), data.consumeRemainingAsBytes());
        try {
            FcnModel.load(DIR);
        } catch (IOException expected) {
            // a clear refusal is the contract
        }
    }
}
