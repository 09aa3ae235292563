package org.dcsm.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.dcsm.core.LabelMap;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.core.io.ImageLoader;
import org.dcsm.core.io.ImageSize;
import org.dcsm.core.io.LabelMapPng;
import org.dcsm.pipeline.ItemCost;
import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodRunner;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What each task of {@link DcsmSpark#evaluate} runs: the images of its partition through this JVM's worker, each
 * scored against its mask into per-method confusion matrices, exactly as {@code dcsm evaluate} scores them (an image
 * counts only when every method succeeded on it; an unreadable, too large or corrupt image or mask is a failure,
 * named, and the task goes on). Emits one {@link Tally}.
 */
final class EvaluatePartition implements FlatMapFunction<Iterator<ImageRef>, Tally> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<ModelBundle> model;
    private final SegmentSettings settings;
    private final Set<Method> methods;
    private final HadoopFiles.Conf conf;
    private final int slots;

    EvaluatePartition(Broadcast<ModelBundle> model, SegmentSettings settings, Set<Method> methods,
                      HadoopFiles.Conf conf, int slots) {
        this.model = model;
        this.settings = settings;
        this.methods = methods;
        this.conf = conf;
        this.slots = slots;
    }

    /** An image and its mask, read and checked. */
    record Labelled(INDArray image, LabelMap truth) {
    }

    /**
     * Reads {@code ref}'s image and mask as every evaluating task does: the image's length checked before it is read,
     * its memory estimate from the header before it is decoded, the mask's size against the image's.
     *
     * @throws IOException              when a file is missing, too large or unreadable
     * @throws IllegalArgumentException when there is no mask, or it does not fit the image
     */
    static Labelled read(ImageRef ref, Configuration hadoop, ImageLoader loader, ItemCost cost,
                         SegmentSettings settings) throws IOException {
        if (ref.maskUri() == null) {
            throw new IllegalArgumentException("no mask given for image '" + ref.id() + "'");
        }
        byte[] data = HadoopFiles.read(hadoop, ref.imageUri(), settings.maxFileBytes());
        ImageSize size = loader.readSize(data, ref.id());
        cost.check(ref.id(), size);
        INDArray image = loader.read(data, ref.id());
        try {
            LabelMap truth = LabelMapPng.read(HadoopFiles.read(hadoop, ref.maskUri(), settings.maxFileBytes()),
                    ref.maskUri(), loader);
            if (truth.width() != image.size(2) || truth.height() != image.size(1)) {
                throw new IllegalArgumentException("mask is " + truth.width() + "x" + truth.height()
                        + " but the image is " + image.size(2) + "x" + image.size(1));
            }
            return new Labelled(image, truth);
        } catch (IOException | RuntimeException e) {
            image.close(); // the caller gets no image to close
            throw e;
        }
    }

    @Override
    public Iterator<Tally> call(Iterator<ImageRef> images) throws Exception {
        if (!images.hasNext()) {
            return List.of(new Tally()).iterator();
        }
        ModelBundle bundle = model.value();
        ExecutorPipelines.Worker worker = ExecutorPipelines.borrowForTask(bundle, settings, methods, slots);
        ImageLoader loader = ImageLoader.builder().maxPixels(settings.maxPixels()).build();
        Configuration hadoop = conf.get();
        Map<Method, ConfusionMatrix> matrices = new EnumMap<>(Method.class);
        for (Method m : worker.runner().methods()) {
            matrices.put(m, ConfusionMatrix.of(worker.model().classes()));
        }
        long attempted = 0;
        long failed = 0;
        List<String> failures = new ArrayList<>();
        while (images.hasNext()) {
            ImageRef ref = images.next();
            attempted++;
            try {
                Labelled in = read(ref, hadoop, loader, worker.cost(), settings);
                LabelMap truth = in.truth();
                MethodRunner.Result r;
                try (INDArray image = in.image()) { // freed now, not when the collector runs
                    r = worker.runner().run(image);
                }
                // validate every method's labels first, so that a failure leaves all matrices unchanged
                for (Method m : matrices.keySet()) {
                    ConfusionMatrix.of(worker.model().classes()).add(truth, r.labels().get(m));
                }
                for (Map.Entry<Method, ConfusionMatrix> e : matrices.entrySet()) {
                    e.getValue().add(truth, r.labels().get(e.getKey()));
                }
            } catch (Exception | OutOfMemoryError e) {
                failed++;
                if (failures.size() < Tally.MAX_FAILURES_KEPT) {
                    failures.add(ref.id() + ": " + SegmentRows.describe(e));
                }
            }
        }
        return List.of(Tally.of(matrices, attempted, failed, failures)).iterator();
    }
}
