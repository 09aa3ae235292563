package org.dcsm.examples.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.dcsm.core.ClassList;
import org.dcsm.core.voc.VocDataset;

import picocli.CommandLine.Option;

/** The options naming a PASCAL VOC-layout folder and its class list. */
final class DatasetOptions {

    @Option(names = "--voc", required = true, paramLabel = "DIR",
            description = "A PASCAL VOC-layout folder (JPEGImages, SegmentationClass, Annotations, ImageSets/Segmentation).")
    Path voc;

    @Option(names = "--classes", paramLabel = "FILE",
            description = "Class names, one per line, background first (default: the folder's classes.txt, else the 20 VOC classes).")
    Path classes;

    VocDataset open() throws IOException {
        VocDataset.Builder b = VocDataset.builder(voc);
        if (classes != null) {
            b.classes(ClassList.read(classes));
        }
        return b.build();
    }
}
