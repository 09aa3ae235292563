package org.dcsm.examples.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.dcsm.core.voc.VocDatasetWriter;
import org.dcsm.examples.data.Scene;
import org.dcsm.examples.data.SyntheticScenes;

/** Writes tiny VOC-layout folders of synthetic scenes for the command-line tests. */
final class VocFixture {

    private VocFixture() {
    }

    /** {@code train} scenes 0..train-1 and {@code val} scenes after them, 40×40, three classes. */
    static SyntheticScenes write(Path root, int train, int val) throws IOException {
        SyntheticScenes gen = SyntheticScenes.builder().seed(9).size(40).classCount(3).objects(1, 2).build();
        try (VocDatasetWriter w = VocDatasetWriter.create(root, gen.classes())) {
            for (Scene s : gen.list(0, train)) {
                w.add("train", s.id(), s.image(), s.mask());
            }
            for (Scene s : gen.list(train, val)) {
                w.add("val", s.id(), s.image(), s.mask());
            }
        }
        return gen;
    }
}
