package org.dcsm.core.voc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.dcsm.core.ClassList;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the VOC annotation reader: any bytes in {@code Annotations/x.xml} give labels or an
 * {@link IOException}; nothing else may escape (no StackOverflowError, no unchecked exception, no hang).
 * Seeds: {@code src/test/resources/org/dcsm/core/voc/AnnotationFuzzTestInputs/annotation}.
 */
class AnnotationFuzzTest {

    private static final Path ROOT = FuzzFolders.vocRoot("annotation");
    private static final VocDataset DATASET = FuzzFolders.open(ROOT, ClassList.of("background", "cat", "dog"));

    @FuzzTest(maxDuration = "20s")
    void annotation(byte[] xml) throws IOException {
        Files.write(ROOT.resolve(VocLayout.ANNOTATIONS).resolve("x.xml"), xml);
        try {
            DATASET.sample("x").labels();
        } catch (IOException expected) {
            // a clear refusal is the contract
        }
    }
}
