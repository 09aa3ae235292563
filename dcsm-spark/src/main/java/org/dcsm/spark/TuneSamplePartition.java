package org.dcsm.spark;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.dcsm.core.io.ImageLoader;
import org.dcsm.pipeline.CrfTuning;
import org.dcsm.pipeline.Method;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What each task of {@link DcsmSpark#tuneCrf}'s first stage runs: the images of its partition through this JVM's
 * tuning sampler ({@link ExecutorPipelines#borrowTunerForTask}), each read and checked as {@link EvaluatePartition}
 * reads it, into a {@link CrfTuning.Sample} per image: its Eq. 7 maps per alpha, exactly as
 * {@link CrfTuning#tune} computes them. A sample larger than {@code maxSampleBytes} is refused. Any failure of one
 * image (unreadable, too large, corrupt, a mask that does not fit, out of memory in ND4J) is a {@link TuneRecord}
 * naming it; the task goes on. Records are produced lazily, one image at a time.
 */
final class TuneSamplePartition implements FlatMapFunction<Iterator<ImageRef>, TuneRecord> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<ModelBundle> model;
    private final SegmentSettings settings;
    private final Method method;
    private final List<Double> alphas;
    private final HadoopFiles.Conf conf;
    private final int slots;
    private final long maxSampleBytes;

    TuneSamplePartition(Broadcast<ModelBundle> model, SegmentSettings settings, Method method, List<Double> alphas,
                        HadoopFiles.Conf conf, int slots, long maxSampleBytes) {
        this.model = model;
        this.settings = settings;
        this.method = method;
        this.alphas = List.copyOf(alphas);
        this.conf = conf;
        this.slots = slots;
        this.maxSampleBytes = maxSampleBytes;
    }

    @Override
    public Iterator<TuneRecord> call(Iterator<ImageRef> images) throws Exception {
        if (!images.hasNext()) {
            return List.<TuneRecord>of().iterator();
        }
        ExecutorPipelines.TuneWorker worker = ExecutorPipelines.borrowTunerForTask(model.value(), settings, method,
                alphas, slots);
        ImageLoader loader = ImageLoader.builder().maxPixels(settings.maxPixels()).build();
        Configuration hadoop = conf.get();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return images.hasNext();
            }

            @Override
            public TuneRecord next() {
                if (!images.hasNext()) {
                    throw new NoSuchElementException();
                }
                ImageRef ref = images.next();
                try {
                    EvaluatePartition.Labelled in = EvaluatePartition.read(ref, hadoop, loader, worker.cost(),
                            settings);
                    CrfTuning.Sample s;
                    try (INDArray image = in.image()) { // the sample holds plain arrays: the pixels can go now
                        s = worker.sampler().sample(ref.id(), image, in.truth());
                    }
                    if (s.bytes() > maxSampleBytes) {
                        throw new IllegalArgumentException("its tuning sample (" + s.width() + "x" + s.height()
                                + ", " + s.alphas() + " alphas) is " + s.bytes() + " bytes, more than the limit of "
                                + maxSampleBytes);
                    }
                    return new TuneRecord(s, null, null);
                } catch (Exception | OutOfMemoryError e) {
                    return new TuneRecord(null, ref.id(), SegmentRows.describe(e));
                }
            }
        };
    }
}
