package org.dcsm.core.voc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.dcsm.core.io.ImageLoader;
import org.dcsm.core.io.LabelMapPng;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VocDatasetWriterTest {

    @TempDir
    Path dir;

    static final ClassList CLASSES = ClassList.of("background", "circle", "square & co");

    /** A 3×4×6 image: red where the mask is 1, green where 2, grey elsewhere. */
    static INDArray imageFor(LabelMap mask) {
        int w = mask.width();
        int h = mask.height();
        float[] chw = new float[3 * w * h];
        int[] ids = mask.toArray();
        for (int i = 0; i < ids.length; i++) {
            chw[i] = ids[i] == 1 ? 220 : 100;
            chw[w * h + i] = ids[i] == 2 ? 200 : 100;
            chw[2 * w * h + i] = 100;
        }
        return Nd4j.create(chw, new long[] {3, h, w}, 'c');
    }

    static LabelMap mask() {
        return LabelMap.of(6, 4, new int[] {
            0, 0, 0, 0, 0, 0,
            0, 1, 1, 0, 2, 0,
            0, 1, 255, 0, 2, 2,
            0, 0, 0, 0, 0, 0});
    }

    @Test
    void writesTheVocLayout() throws IOException {
        Path root = dir.resolve("ds");
        LabelMap mask = mask();
        try (VocDatasetWriter writer = VocDatasetWriter.create(root, CLASSES)) {
            writer.add("train", "b_002", imageFor(mask), mask);
            writer.add("train", "a_001", imageFor(mask), LabelMap.filled(6, 4, 0));
            writer.add("val", "c_003", imageFor(mask), mask);
            assertThat(writer.splits()).containsOnlyKeys("train", "val");
        }
        assertThat(Files.readAllLines(root.resolve("ImageSets/Segmentation/train.txt"))).containsExactly("a_001", "b_002");
        assertThat(Files.readAllLines(root.resolve("ImageSets/Segmentation/val.txt"))).containsExactly("c_003");
        assertThat(ClassList.read(root.resolve("classes.txt"))).isEqualTo(CLASSES);
        assertThat(LabelMapPng.read(root.resolve("SegmentationClass/b_002.png"))).isEqualTo(mask);

        INDArray img = ImageLoader.defaults().read(root.resolve("JPEGImages/b_002.jpg"));
        assertThat(img.shape()).containsExactly(3, 4, 6);
        assertThat(img.getFloat(1, 3, 3)).isCloseTo(100f, within(6f)); // JPEG at quality 0.95: small loss

        String xml = Files.readString(root.resolve("Annotations/b_002.xml"), StandardCharsets.UTF_8);
        assertThat(xml).contains("<name>circle</name>").contains("<name>square &amp; co</name>")
                .contains("<width>6</width>").contains("<height>4</height>")
                // circle occupies x 1..2, y 1..2 -> VOC 1-based box 2..3
                .contains("<xmin>2</xmin>\n\t\t\t<ymin>2</ymin>\n\t\t\t<xmax>3</xmax>\n\t\t\t<ymax>3</ymax>")
                .doesNotContain("<name>background</name>");
        assertThat(Files.readString(root.resolve("Annotations/a_001.xml"))).doesNotContain("<object>");
        try (var leftovers = Files.walk(root)) {
            assertThat(leftovers.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()).isEmpty();
        }
    }

    @Test
    void everyWrittenFileFollowsTheUmask() throws IOException {
        // images, XML, masks, split files and classes.txt were written 0600 (owner only) whatever the umask
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions only");
        Path root = dir.resolve("umask");
        try (VocDatasetWriter writer = VocDatasetWriter.create(root, CLASSES)) {
            writer.add("train", "a_001", imageFor(mask()), mask());
        }
        var plain = Files.getPosixFilePermissions(Files.writeString(dir.resolve("plain.txt"), "x"));
        List<Path> files;
        try (var walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).extracting(f -> root.relativize(f).toString()).contains("JPEGImages/a_001.jpg",
                "Annotations/a_001.xml", "SegmentationClass/a_001.png", "ImageSets/Segmentation/train.txt",
                "classes.txt");
        for (Path f : files) {
            assertThat(Files.getPosixFilePermissions(f)).as(root.relativize(f).toString()).isEqualTo(plain);
        }
    }

    @Test
    void addIsThreadSafe() throws Exception {
        Path root = dir.resolve("parallel");
        LabelMap mask = mask();
        INDArray image = imageFor(mask);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (VocDatasetWriter writer = VocDatasetWriter.create(root, CLASSES)) {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String id = String.format("s%02d", i);
                futures.add(pool.submit(() -> {
                    writer.add(id.hashCode() % 2 == 0 ? "train" : "val", id, image, mask);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<String> all = new java.util.ArrayList<>(Files.readAllLines(root.resolve("ImageSets/Segmentation/train.txt")));
        all.addAll(Files.readAllLines(root.resolve("ImageSets/Segmentation/val.txt")));
        assertThat(all).hasSize(16).doesNotHaveDuplicates();
        try (var masks = Files.list(root.resolve("SegmentationClass"))) {
            assertThat(masks.count()).isEqualTo(16);
        }
    }

    @Test
    void rejectsBadInput() throws IOException {
        Path root = dir.resolve("ds");
        LabelMap mask = mask();
        VocDatasetWriter writer = VocDatasetWriter.create(root, CLASSES);
        {
            assertThat(assertThrows(IllegalArgumentException.class,
                    () -> writer.add("train", "../evil", imageFor(mask), mask)))
                    .hasMessageContaining("Unsafe sample id '../evil'");
            assertThat(assertThrows(IllegalArgumentException.class,
                    () -> writer.add("tr/ain", "x", imageFor(mask), mask)))
                    .hasMessageContaining("Unsafe split name 'tr/ain'").hasMessageContaining("path separator");
            assertThat(assertThrows(IllegalArgumentException.class,
                    () -> writer.add("train", "x", imageFor(mask), LabelMap.filled(5, 4, 0))))
                    .hasMessageContaining("Mask of sample 'x' is 5x4 but its image is 6x4");
            assertThat(assertThrows(IllegalArgumentException.class,
                    () -> writer.add("train", "x", imageFor(mask), LabelMap.filled(6, 4, 3))))
                    .hasMessageContaining("class id 3 at pixel (0, 0), outside the class list 0..2");
            assertThat(assertThrows(IllegalArgumentException.class,
                    () -> writer.add("train", "x", Nd4j.zeros(1, 4, 6), mask)))
                    .hasMessageContaining("3×H×W");
            writer.add("train", "x", imageFor(mask), mask);
            assertThat(assertThrows(IllegalArgumentException.class,
                    () -> writer.add("val", "x", imageFor(mask), mask)))
                    .hasMessageContaining("Sample id 'x' was already added");
            writer.close();
            writer.close(); // idempotent
            assertThat(assertThrows(IllegalStateException.class,
                    () -> writer.add("val", "y", imageFor(mask), mask)))
                    .hasMessageContaining("closed");
        }
        assertThat(Files.readAllLines(root.resolve("ImageSets/Segmentation/train.txt"))).isEqualTo(List.of("x"));
        assertThat(assertThrows(IOException.class, () -> VocDatasetWriter.create(root, CLASSES)))
                .hasMessageContaining("is not empty");
        VocDatasetWriter.builder(root, CLASSES).overwrite(true).build().close();
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> VocDatasetWriter.builder(dir.resolve("q"), CLASSES).jpegQuality(1.5f).build()))
                .hasMessageContaining("jpegQuality must be in (0, 1], found 1.5");
    }
}
