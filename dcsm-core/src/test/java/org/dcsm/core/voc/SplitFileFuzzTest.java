package org.dcsm.core.voc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.dcsm.core.ClassList;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the split-file reader: any bytes in {@code ImageSets/Segmentation/train.txt} give ids, an
 * {@link IOException} or an {@link IllegalArgumentException} naming an unsafe id and its line.
 */
class SplitFileFuzzTest {

    private static final Path ROOT = FuzzFolders.vocRoot("split");
    private static final VocDataset DATASET = FuzzFolders.open(ROOT, ClassList.of("background", "cat"));

    @FuzzTest(maxDuration = "20s")
    void splitFile(byte[] text) throws IOException {
        Files.write(ROOT.resolve(VocLayout.SEGMENTATION_SETS).resolve("train.txt"), text);
        try {
            for (VocSample s : DATASET.samples("train")) {
                if (!s.imagePath().normalize().startsWith(ROOT)) {
                    throw new AssertionError("id " + s.id() + " escapes the dataset root");
                }
            }
        } catch (IOException | IllegalArgumentException expected) {
            // a clear refusal is the contract
        }
    }
}
