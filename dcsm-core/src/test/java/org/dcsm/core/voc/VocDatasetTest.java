package org.dcsm.core.voc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.dcsm.core.io.ImageFiles;
import org.dcsm.core.io.ImageLoader;
import org.dcsm.core.io.ImageTooLargeException;
import org.dcsm.core.io.LabelMapPng;
import org.dcsm.core.io.TestImageFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reads a VOC-layout fixture that the test writes itself (VOC class list: cat = 8, dog = 12, person = 15). */
class VocDatasetTest {

    @TempDir
    Path dir;

    Path root;

    static final String PERSON_WITH_PARTS = """
            <annotation>
              <filename>p1.jpg</filename>
              <object><name>person</name><difficult>0</difficult>
                <part><name>head</name></part><part><name>hand</name></part></object>
              <object><name>dog</name><difficult>1</difficult></object>
            </annotation>
            """;

    @BeforeEach
    void writeFixture() throws IOException {
        root = dir.resolve("VOC2012");
        LabelMap catMask = LabelMap.of(4, 3, new int[] {0, 8, 8, 0, 0, 8, 255, 0, 0, 0, 0, 0});
        LabelMap personMask = LabelMap.of(4, 3, new int[] {15, 15, 0, 0, 12, 12, 0, 0, 0, 0, 0, 255});
        try (VocDatasetWriter writer = VocDatasetWriter.create(root, ClassList.voc())) {
            writer.add("train", "c1", VocDatasetWriterTest.imageFor(catMask), catMask);
            writer.add("train", "p1", VocDatasetWriterTest.imageFor(personMask), personMask);
            writer.add("train", "g1", VocDatasetWriterTest.imageFor(catMask), catMask);
        }
        Files.delete(root.resolve("classes.txt")); // the default class list is then VOC's
        Files.writeString(root.resolve("Annotations/p1.xml"), PERSON_WITH_PARTS, StandardCharsets.UTF_8);
        Files.delete(root.resolve("Annotations/g1.xml")); // labels from the mask
        // g1's image becomes a 4-component CMYK JPEG; c1's a grey JPEG
        int[][][] cmyk = new int[3][4][];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                cmyk[y][x] = new int[] {0, 255, 255, 0}; // red
            }
        }
        TestImageFiles.writeCmykJpeg(root.resolve("JPEGImages/g1.jpg"), cmyk);
        BufferedImage grey = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 4, 3, 0, new int[] {60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60});
        ImageFiles.writeJpeg(grey, root.resolve("JPEGImages/c1.jpg"), 1f);
    }

    @Test
    void readsTheLayout() throws IOException {
        VocDataset ds = VocDataset.open(root);
        assertThat(ds.classes()).isEqualTo(ClassList.voc());
        assertThat(ds.splits()).containsExactly("train");
        List<VocSample> samples = ds.samples("train");
        assertThat(samples).extracting(VocSample::id).containsExactly("c1", "g1", "p1");

        VocSample c1 = samples.get(0);
        assertThat(c1.labels()).containsExactly(8);
        assertThat(c1.mask().toArray()).containsExactly(0, 8, 8, 0, 0, 8, 255, 0, 0, 0, 0, 0);
        INDArray grey = c1.image();
        assertThat(grey.shape()).containsExactly(3, 3, 4);
        assertThat(grey.getFloat(0, 1, 1)).isBetween(58f, 62f);
        assertThat(grey.getFloat(2, 1, 1)).isEqualTo(grey.getFloat(0, 1, 1));

        VocSample g1 = samples.get(1);
        assertThat(g1.hasAnnotation()).isFalse();
        assertThat(g1.labels()).containsExactly(8); // from the mask: 0 and 255 left out
        assertThat(TestImageFiles.jpegComponents(g1.imagePath())).isEqualTo(4);
        INDArray red = g1.image();
        assertThat(red.getFloat(0, 1, 1)).isGreaterThan(200f);
        assertThat(red.getFloat(1, 1, 1)).isLessThan(60f);
        assertThat(red.getFloat(2, 1, 1)).isLessThan(60f);

        VocSample p1 = samples.get(2);
        assertThat(p1.labels()).containsExactly(12, 15); // difficult dog included by default; parts ignored
        VocDataset strict = VocDataset.builder(root).difficultPolicy(VocDataset.DifficultPolicy.EXCLUDE).build();
        assertThat(strict.sample("p1").labels()).containsExactly(15);
        VocDataset copy = strict.toBuilder().build(); // keeps the policy (and root, classes, loader, extension)
        assertThat(copy.sample("p1").labels()).containsExactly(15);
        assertThat(copy.toString()).isEqualTo(strict.toString());
        assertThat(copy.imageLoader()).isSameAs(strict.imageLoader());
        assertThat(p1.imageSize().width()).isEqualTo(4);
    }

    @Test
    void usesClassesTxtWhenPresent() throws IOException {
        Path other = dir.resolve("small");
        ClassList classes = ClassList.of("background", "disc");
        try (VocDatasetWriter writer = VocDatasetWriter.create(other, classes)) {
            writer.add("val", "a", VocDatasetWriterTest.imageFor(LabelMap.filled(3, 2, 1)), LabelMap.filled(3, 2, 1));
        }
        VocDataset ds = VocDataset.open(other);
        assertThat(ds.classes()).isEqualTo(classes);
        assertThat(ds.sample("a").labels()).containsExactly(1);
        // the same annotation against the VOC list: unknown class, named with file and known classes
        VocDataset voc = VocDataset.builder(other).classes(ClassList.voc()).build();
        IOException e = assertThrows(IOException.class, () -> voc.sample("a").labels());
        assertThat(e).hasMessageContaining("Unknown class name 'disc'").hasMessageContaining("a.xml")
                .hasMessageContaining("known classes: [background, aeroplane");
    }

    @Test
    void refusesXmlWithDoctype() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "cat");
        Files.writeString(root.resolve("Annotations/p1.xml"), "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE annotation [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<annotation><object><name>&x;</name></object></annotation>\n");
        IOException e = assertThrows(IOException.class, () -> VocDataset.open(root).sample("p1").labels());
        assertThat(e).hasMessageContaining("Cannot parse annotation").hasMessageContaining("p1.xml")
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void deepNestingLongNamesAndControlCharactersGiveClearErrors() throws IOException {
        // 10,000 levels inside <name>, no DOCTYPE: refused by the parser, no StackOverflowError
        String deep = "<annotation><object><name>" + "<a>".repeat(10_000) + "cat" + "</a>".repeat(10_000)
                + "</name></object></annotation>";
        Files.writeString(root.resolve("Annotations/p1.xml"), deep);
        IOException nested = assertThrows(IOException.class, () -> VocDataset.open(root).sample("p1").labels());
        assertThat(nested).hasMessageContaining("Cannot parse annotation").hasMessageContaining("p1.xml");
        // a 3 MB name is refused and cut in the message
        Files.writeString(root.resolve("Annotations/p1.xml"), "<annotation><object><name>" + "x".repeat(3_000_000)
                + "</name></object></annotation>");
        IOException huge = assertThrows(IOException.class, () -> VocDataset.open(root).sample("p1").labels());
        assertThat(huge.getMessage()).contains("a name of 3000000 characters (at most 256)").hasSizeLessThan(400);
        // XML 1.1 character references carry a newline and ESC into the name: escaped, never raw
        Files.writeString(root.resolve("Annotations/p1.xml"), "<?xml version=\"1.1\"?>\n<annotation><object>"
                + "<name>cat&#x0a;[INFO] forged&#x1b;[31m</name></object></annotation>");
        IOException forged = assertThrows(IOException.class, () -> VocDataset.open(root).sample("p1").labels());
        assertThat(forged.getMessage()).contains("cat\\u000a[INFO] forged\\u001b[31m").doesNotContain("\n")
                .doesNotContain("\u001b");
    }

    @Test
    void aFolderThatIsNotInVocLayoutIsSaidToBeSo() throws IOException {
        Path devkit = dir.resolve("VOCdevkit");
        Files.createDirectories(devkit.resolve("VOC2012"));
        IOException e = assertThrows(IOException.class, () -> VocDataset.open(devkit));
        assertThat(e).hasMessageContaining("not a PASCAL VOC-layout folder").hasMessageContaining("did you mean")
                .hasMessageContaining("VOC2012");
    }

    @Test
    void duplicateIdsCountOnceAndNonUtf8SplitFilesAreNamed() throws IOException {
        Path split = root.resolve("ImageSets/Segmentation/train.txt");
        Files.writeString(split, "c1\np1\nc1\n\ng1\np1\n");
        assertThat(VocDataset.open(root).ids("train")).containsExactly("c1", "p1", "g1");
        Files.write(split, new byte[] {'c', '1', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
        IOException e = assertThrows(IOException.class, () -> VocDataset.open(root).ids("train"));
        assertThat(e).hasMessageContaining("train.txt is not UTF-8 text").hasMessageContaining("save it as UTF-8");
    }

    @Test
    void refusesIdsThatEscapeTheRoot() throws IOException {
        VocDataset ds = VocDataset.open(root);
        assertThat(assertThrows(IllegalArgumentException.class, () -> ds.sample("../../etc/passwd")))
                .hasMessageContaining("Unsafe sample id '../../etc/passwd'").hasMessageContaining("'..'");
        assertThat(assertThrows(IllegalArgumentException.class, () -> ds.sample("/etc/passwd")))
                .hasMessageContaining("path separator");
        assertThat(assertThrows(IllegalArgumentException.class, () -> ds.sample("C:evil")))
                .hasMessageContaining("contains ':'");
        assertThat(assertThrows(IllegalArgumentException.class, () -> ds.ids("../train")))
                .hasMessageContaining("Unsafe split name");
        Files.writeString(root.resolve("ImageSets/Segmentation/bad.txt"), "c1\n\n..\\x 1\n");
        assertThat(assertThrows(IllegalArgumentException.class, () -> ds.samples("bad")))
                .hasMessageContaining("bad.txt line 3").hasMessageContaining("Unsafe sample id '..\\x'");
        assertThat(assertThrows(NoSuchFileException.class, () -> ds.samples("test")))
                .hasMessageContaining("test.txt").hasMessageContaining("splits present: [bad, train]");
    }

    @Test
    void refusesOversizedImagesBeforeDecodingAndNamesMissingMasks() throws IOException {
        Path png = root.resolve("JPEGImages/p1.jpg"); // content decides the format, not the extension
        ImageFiles.writePng(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB), png);
        TestImageFiles.patchPngSize(png, 50_000, 40_000);
        VocDataset ds = VocDataset.builder(root).imageLoader(ImageLoader.builder().maxPixels(1_000_000).build()).build();
        assertThat(assertThrows(ImageTooLargeException.class, () -> ds.sample("p1").image()))
                .hasMessageContaining("p1.jpg").hasMessageContaining("50000x40000")
                .hasMessageContaining("limit of 1000000 pixels");

        Files.delete(root.resolve("SegmentationClass/c1.png"));
        assertThat(assertThrows(NoSuchFileException.class, () -> ds.sample("c1").mask()))
                .hasMessageContaining("SegmentationClass/c1.png").hasMessageContaining("mask missing for sample 'c1'");
        Files.delete(root.resolve("SegmentationClass/g1.png"));
        assertThat(assertThrows(NoSuchFileException.class, () -> ds.sample("g1").labels()))
                .hasMessageContaining("neither an annotation nor a mask");
        LabelMapPng.write(LabelMap.filled(4, 3, 30), root.resolve("SegmentationClass/g1.png"));
        assertThat(assertThrows(IOException.class, () -> ds.sample("g1").mask()))
                .hasMessageContaining("class id 30, outside the class list 0..20");
    }

    @Test
    void batchUsersCanSkipABrokenSampleAndGoOn() throws IOException {
        TestImageFiles.truncate(root.resolve("JPEGImages/g1.jpg"), 40);
        List<String> ok = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (VocSample s : VocDataset.open(root).samples("train")) {
            try {
                s.image();
                s.mask();
                ok.add(s.id());
            } catch (IOException e) {
                failed.add(e.getMessage());
            }
        }
        assertThat(ok).containsExactly("c1", "p1");
        assertThat(failed).singleElement().asString().contains("g1.jpg").contains("corrupt or truncated");
    }

    @Test
    void builderValidates() {
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> VocDataset.builder(root).imageExtension(".jpg").build()))
                .hasMessageContaining("imageExtension").hasMessageContaining("'.jpg'");
        assertThat(assertThrows(NoSuchFileException.class, () -> VocDataset.open(dir.resolve("nope"))))
                .hasMessageContaining("nope").hasMessageContaining("not a folder");
    }
}
