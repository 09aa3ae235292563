package org.dcsm.examples.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.dcsm.backprop.train.LabeledImage;
import org.dcsm.core.pipeline.BatchReport;
import org.dcsm.core.pipeline.BatchRunner;
import org.dcsm.core.pipeline.ProgressListener;
import org.dcsm.core.voc.VocDataset;
import org.dcsm.core.voc.VocSample;

/**
 * The training images of a VOC split with their image-level labels only (from the XML annotations, or
 * from the masks when there is no XML), preprocessed for the network and held in memory. An image
 * that cannot be read is reported and skipped; an image without any foreground label carries no
 * training signal for a multi-label classifier and is skipped and counted.
 */
public record TrainingData(List<LabeledImage> images, int unlabelled, BatchReport report) {

    public TrainingData {
        images = List.copyOf(images);
    }

    /**
     * Loads {@code split} of {@code voc}.
     *
     * @throws IOException when the split list cannot be read
     */
    public static TrainingData load(VocDataset voc, String split, ProgressListener progress) throws IOException {
        List<VocSample> samples = voc.samples(split);
        List<LabeledImage> images = new ArrayList<>();
        int[] unlabelled = {0};
        BatchReport report = BatchRunner.run(samples, samples.size(), VocSample::id, s -> {
            int[] labels = s.labels();
            if (labels.length == 0) {
                unlabelled[0]++;
            } else {
                images.add(LabeledImage.fromRgb(s.image(), labels));
            }
        }, progress);
        return new TrainingData(images, unlabelled[0], report);
    }
}
