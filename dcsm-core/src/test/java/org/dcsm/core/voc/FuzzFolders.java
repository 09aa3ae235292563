package org.dcsm.core.voc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Scratch VOC-layout folders for the fuzz tests, created once per JVM and removed at exit. */
final class FuzzFolders {

    private FuzzFolders() {
    }

    static VocDataset open(Path root, org.dcsm.core.ClassList classes) {
        try {
            return VocDataset.builder(root).classes(classes).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path vocRoot(String name) {
        try {
            Path root = Files.createTempDirectory("dcsm-fuzz-" + name);
            for (String sub : new String[] {VocLayout.ANNOTATIONS, VocLayout.SEGMENTATION_SETS, VocLayout.JPEG_IMAGES,
                    VocLayout.SEGMENTATION_CLASS}) {
                Files.createDirectories(root.resolve(sub));
            }
            root.toFile().deleteOnExit();
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
