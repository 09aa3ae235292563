package org.dcsm.examples.fashion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

import org.dcsm.core.pipeline.BatchReport;
import org.dcsm.core.pipeline.BatchRunner;
import org.dcsm.core.pipeline.ProgressListener;
import org.dcsm.core.voc.VocDatasetWriter;
import org.dcsm.examples.data.FashionComposer;
import org.dcsm.examples.data.FashionMnist;
import org.dcsm.examples.data.Scene;

/**
 * Writes a Fashion-MNIST composite segmentation set in the PASCAL VOC layout (via dcsm-core's
 * {@link VocDatasetWriter}): {@code train} scenes composed from Fashion-MNIST's training photographs and
 * {@code val} scenes from its test photographs, so the two splits share no photograph. Each scene holds
 * 1–3 items of distinct classes with exact masks ({@link FashionComposer}); its {@code classes.txt} lists
 * the composer's classes (all ten, or the subset asked for). Returns what it wrote.
 */
public final class FashionVocExport {

    /** What {@link #write} produced. */
    public record Result(Path root, BatchReport train, BatchReport val) {
    }

    private final Path fashionDir;
    private final int trainCount;
    private final int valCount;
    private final long seed;
    private final UnaryOperator<FashionComposer.Builder> scenes;

    /**
     * @param fashionDir folder with the four IDX files
     * @param trainCount scenes in {@code train} (≥ 1)
     * @param valCount   scenes in {@code val} (≥ 1)
     * @param size       scene side in pixels
     * @param seed       composition seed (val uses {@code seed + 1})
     */
    public FashionVocExport(Path fashionDir, int trainCount, int valCount, int size, long seed) {
        this(fashionDir, trainCount, valCount, seed, b -> b.size(size));
    }

    /**
     * As {@link #FashionVocExport(Path, int, int, int, long)}, with the scenes configured by {@code scenes}
     * (size, style, classes, ...), which is applied to the train and the val composer alike.
     *
     * @param scenes sets up a composer's builder and returns it; seed and item range are set by this class
     */
    public FashionVocExport(Path fashionDir, int trainCount, int valCount, long seed,
            UnaryOperator<FashionComposer.Builder> scenes) {
        this.fashionDir = Objects.requireNonNull(fashionDir, "fashionDir");
        if (trainCount < 1) {
            throw new IllegalArgumentException("train count must be >= 1, found " + trainCount);
        }
        if (valCount < 1) {
            throw new IllegalArgumentException("val count must be >= 1, found " + valCount);
        }
        this.trainCount = trainCount;
        this.valCount = valCount;
        this.seed = seed;
        this.scenes = Objects.requireNonNull(scenes, "scenes");
    }

    /**
     * Writes the set under {@code root} (absent or empty unless {@code overwrite}).
     *
     * @throws IOException when Fashion-MNIST is missing or the root cannot be written
     */
    public Result write(Path root, boolean overwrite, ProgressListener trainProgress, ProgressListener valProgress)
            throws IOException {
        FashionMnist trainSource = FashionMnist.load(fashionDir, FashionMnist.Split.TRAIN);
        FashionMnist testSource = FashionMnist.load(fashionDir, FashionMnist.Split.TEST);
        FashionComposer train = scenes.apply(FashionComposer.builder(trainSource)).seed(seed).build();
        FashionComposer val = scenes.apply(FashionComposer.builder(testSource)).seed(seed + 1).build();
        try (VocDatasetWriter writer = VocDatasetWriter.builder(root, train.classList()).overwrite(overwrite)
                .build()) {
            BatchReport t = BatchRunner.run(() -> train.stream(0, trainCount).iterator(), trainCount, Scene::id,
                    s -> writer.add("train", s.id(), s.image(), s.mask()), trainProgress);
            BatchReport v = BatchRunner.run(() -> val.stream(0, valCount).map(s -> rename(s, "val_")).iterator(),
                    valCount, Scene::id, s -> writer.add("val", s.id(), s.image(), s.mask()), valProgress);
            return new Result(writer.root(), t, v);
        }
    }

    private static Scene rename(Scene s, String prefix) {
        return new Scene(prefix + s.id(), s.rgb(), s.mask(), s.labels());
    }
}
