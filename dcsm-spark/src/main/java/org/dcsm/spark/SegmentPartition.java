package org.dcsm.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.LabelMap;
import org.dcsm.core.io.ImageLoader;
import org.dcsm.core.io.ImageSize;
import org.dcsm.core.io.LabelMapPng;
import org.dcsm.core.pipeline.Candidate;
import org.dcsm.core.pipeline.Segmentation;
import org.dcsm.core.render.HeatMap;
import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodRunner;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What each task of {@link DcsmSpark#segment} runs on its partition: borrows this JVM's worker
 * ({@link ExecutorPipelines}), and for each image reads its bytes (length checked first), checks its estimated
 * memory from the header, decodes, segments, writes the palette PNG (and the class maps) atomically, and emits one
 * {@link SegmentRows} row. Any failure of one image (unreadable, too large, corrupt, out of memory in ND4J) becomes a
 * row with status {@code failed} and the error; the task goes on. Rows are produced lazily, as the Parquet writer
 * pulls them.
 */
final class SegmentPartition implements FlatMapFunction<Iterator<ImageRef>, Row> {

    private static final long serialVersionUID = 1L;
    private static final HeatMap LINEAR = HeatMap.builder().alpha(0).build();

    /** Called after an image's files are written, before its row is emitted; tests use it to kill a task there. */
    interface ImageHook {
        void afterImage(TaskContext task, String id, int indexInPartition);
    }

    /** Package-private test seam: null in production. */
    static volatile ImageHook hook;

    private final Broadcast<ModelBundle> model;
    private final SegmentSettings settings;
    private final HadoopFiles.Conf conf;
    private final String labelsDir;
    private final String mapsDir;
    private final String runId;
    private final int slots;

    SegmentPartition(Broadcast<ModelBundle> model, SegmentSettings settings, HadoopFiles.Conf conf, String labelsDir,
                     String mapsDir, String runId, int slots) {
        this.model = model;
        this.settings = settings;
        this.conf = conf;
        this.labelsDir = labelsDir;
        this.mapsDir = mapsDir;
        this.runId = runId;
        this.slots = slots;
    }

    @Override
    public Iterator<Row> call(Iterator<ImageRef> images) throws Exception {
        if (!images.hasNext()) {
            return java.util.Collections.emptyIterator();
        }
        TaskContext task = TaskContext.get();
        ModelBundle bundle = model.value();
        Set<Method> methods = EnumSet.of(settings.method());
        ExecutorPipelines.Worker worker = ExecutorPipelines.borrowForTask(bundle, settings, methods, slots);
        ImageLoader loader = ImageLoader.builder().maxPixels(settings.maxPixels()).build();
        Configuration hadoop = conf.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        return new Iterator<>() {
            int index;

            @Override
            public boolean hasNext() {
                return images.hasNext();
            }

            @Override
            public Row next() {
                if (!images.hasNext()) {
                    throw new NoSuchElementException();
                }
                ImageRef ref = images.next();
                Row row = segmentOne(worker, loader, hadoop, ref, attempt);
                ImageHook h = hook;
                if (h != null) {
                    h.afterImage(task, ref.id(), index);
                }
                index++;
                return row;
            }
        };
    }

    private Row segmentOne(ExecutorPipelines.Worker worker, ImageLoader loader, Configuration hadoop, ImageRef ref,
                           int attempt) {
        long t0 = System.nanoTime();
        long t1 = t0;
        long t2 = t0;
        int width = -1;
        int height = -1;
        List<Row> candidates = new ArrayList<>();
        String labelsUri = null;
        try {
            byte[] data = HadoopFiles.read(hadoop, ref.imageUri(), settings.maxFileBytes());
            ImageSize size = loader.readSize(data, ref.id());
            width = size.width();
            height = size.height();
            worker.cost().check(ref.id(), size);
            MethodRunner.Result r;
            try (INDArray image = loader.read(data, ref.id())) { // freed now, not when the collector runs
                t1 = System.nanoTime();
                r = worker.runner().run(image);
            }
            Method method = settings.method();
            Segmentation s = r.segmentations().get(method);
            LabelMap labels = r.labels().get(method);
            ClassList classes = worker.model().classes();
            for (Candidate c : s.candidates()) {
                candidates.add(RowFactory.create(c.classId(), className(classes, c.classId()), c.score()));
            }
            t2 = System.nanoTime();
            Path target = new Path(labelsDir, ref.id() + ".png");
            HadoopFiles.writeAtomically(hadoop, target, HadoopFiles.png(LabelMapPng.toIndexedImage(labels)));
            labelsUri = target.toString();
            if (settings.classMaps() && s.fusedMaps().isPresent()) {
                writeClassMaps(hadoop, ref.id(), s, classes);
            }
            long t3 = System.nanoTime();
            return SegmentRows.row(ref, SegmentRows.OK, null, width, height, candidates, labelsUri, ms(t0, t1),
                    ms(t1, t2), ms(t2, t3), attempt, runId);
        } catch (Exception | OutOfMemoryError e) {
            // one image's failure is a row, never a task failure (JavaCPP's "Physical memory usage is too high" is
            // an OutOfMemoryError thrown before ND4J allocates, so the JVM is still sound)
            long now = System.nanoTime();
            return SegmentRows.row(ref, SegmentRows.FAILED, SegmentRows.describe(e), width, height, List.of(), null,
                    ms(t0, t1 == t0 ? now : t1), t1 == t0 ? 0 : ms(t1, now), 0, attempt, runId);
        }
    }

    private void writeClassMaps(Configuration hadoop, String id, Segmentation s, ClassList classes)
            throws IOException {
        ClassMaps fused = s.fusedMaps().get();
        INDArray maps = fused.single();
        for (Candidate c : s.candidates()) {
            String name = className(classes, c.classId()).replaceAll("[^A-Za-z0-9_.-]", "_");
            BufferedImage picture = LINEAR.renderChannel(maps, fused.channelOf(c.classId()));
            HadoopFiles.writeAtomically(hadoop, new Path(mapsDir, id + "_map_" + c.classId() + "_" + name + ".png"),
                    HadoopFiles.png(picture));
        }
    }

    static String className(ClassList classes, int id) {
        return id < classes.size() ? classes.name(id) : "class" + id;
    }

    static double ms(long from, long to) {
        return (to - from) / 1e6;
    }
}
