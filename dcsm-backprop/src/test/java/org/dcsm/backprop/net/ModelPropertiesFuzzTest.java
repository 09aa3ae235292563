package org.dcsm.backprop.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.dcsm.core.ClassList;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the parsing of {@code model.properties} beside a valid {@code model.zip} and {@code classes.txt}: any
 * bytes give a model whose architecture matches the stored network, or an {@link IOException} naming the file;
 * nothing else may escape (no unchecked exception from {@link java.util.Properties}, a number or the
 * architecture builder, no OutOfMemoryError from a size in the properties).
 */
class ModelPropertiesFuzzTest {

    private static final VggStyleFcn TINY = ModelFolderFuzzTest.TINY;
    private static final Path DIR = ModelFolderFuzzTest.folder("dcsm-fuzz-properties");

    static {
        try {
            FcnModel.initialise(TINY, ClassList.of("background", "cat"), 1).save(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void modelProperties(byte[] properties) throws IOException {
        Files.write(DIR.resolve(FcnModel.PROPERTIES_FILE), properties);
        FcnModel model;
        try {
            model = FcnModel.load(DIR);
        } catch (IOException expected) {
            return; // a clear refusal is the contract
        }
        // what loads describes the stored network: the checked architecture is the saved one
        if (!model.architecture().convLayerNames().equals(TINY.convLayerNames())
                || model.network().numParams() != TINY.buildInferenceNetwork(1, 1).numParams()) {
            throw new AssertionError("model.properties " + model.architecture() + " loaded, but the stored network is "
                    + TINY);
        }
    }
}
