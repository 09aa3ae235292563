package org.dcsm.examples.fashion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

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
 * 1–3 items of distinct classes with exact masks ({@link FashionComposer}). Returns what it wrote.
 */
public final class FashionVocExport {

    /** What {@link #write} produced. */
    public record Result(Path root, BatchReport train, BatchReport val) {
    }

    private final Path fashionDir;
    private final int trainCount;
    private final int valCount;
    private final int size;
    private final long seed;
    private final FashionComposer.Style style;

    /**
     * @param fashionDir folder with the four IDX files
     * @param trainCount scenes in {@code train} (≥ 1)
     * @param valCount   scenes in {@code val} (≥ 1)
     * @param size       scene side in pixels
     * @param seed       composition seed (val uses {@code seed + 1})
     */
    public FashionVocExport(Path fashionDir, int trainCount, int valCount, int size, long seed) {
        this(fashionDir, trainCount, valCount, size, seed, FashionComposer.Style.TINTED_ON_TEXTURE);
    }

    /**
     * As {@link #FashionVocExport(Path, int, int, int, long)}, with the scenes' look.
     *
     * @param style how items and backgrounds look
     */
    public FashionVocExport(Path fashionDir, int trainCount, int valCount, int size, long seed,
            FashionComposer.Style style) {
        this.fashionDir = Objects.requireNonNull(fashionDir, "fashionDir");
        if (trainCount < 1) {
            throw new IllegalArgumentException("train count must be >= 1, found " + trainCount);
        }
        if (valCount < 1) {
            throw new IllegalArgumentException("val count must be >= 1, found " + valCount);
        }
        this.trainCount = trainCount;
        this.valCount = valCount;
        this.size = size;
        this.seed = seed;
        this.style = Objects.requireNonNull(style, "style");
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
        FashionComposer train = FashionComposer.builder(trainSource).size(size).seed(seed).style(style).build();
        FashionComposer val = FashionComposer.builder(testSource).size(size).seed(seed + 1).style(style).build();
        try (VocDatasetWriter writer = VocDatasetWriter.builder(root, FashionComposer.classes()).overwrite(overwrite)
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
