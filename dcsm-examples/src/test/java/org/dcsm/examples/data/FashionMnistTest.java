package org.dcsm.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path dir;

    /** Writes a gzipped IDX file: magic, dims, data. */
    static void writeIdx(Path path, int magic, int[] dims, byte[] data) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(path));
             DataOutputStream d = new DataOutputStream(out)) {
            d.writeInt(magic);
            for (int dim : dims) {
                d.writeInt(dim);
            }
            d.write(data);
        }
    }

    @Test
    void readsHandWrittenIdxFiles() throws IOException {
        byte[] pixels = {0, 1, 2, 3, 4, 5, (byte) 250, (byte) 251, (byte) 252, (byte) 253, (byte) 254, (byte) 255};
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), 0x803, new int[] {2, 2, 3}, pixels);
        writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), 0x801, new int[] {2}, new byte[] {9, 0});
        assertThat(FashionMnist.isAvailable(dir, FashionMnist.Split.TRAIN)).isTrue();
        assertThat(FashionMnist.isAvailable(dir, FashionMnist.Split.TEST)).isFalse();
        FashionMnist f = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
        assertThat(f.count()).isEqualTo(2);
        assertThat(f.rows()).isEqualTo(2);
        assertThat(f.cols()).isEqualTo(3);
        assertThat(f.pixels(0)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(f.pixels(1)).containsExactly(250, 251, 252, 253, 254, 255);
        assertThat(f.label(0)).isEqualTo(9);
        assertThat(f.label(1)).isZero();
    }

    @Test
    void rejectsBadFiles() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TEST));
        assertThat(missing).hasMessageContaining("t10k-images-idx3-ubyte.gz").hasMessageContaining("dataset-fashion-mnist");

        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        writeIdx(labels, 0x801, new int[] {1}, new byte[] {3});
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        writeIdx(images, 0x801, new int[] {1, 1, 1}, new byte[] {1});
        assertThat(assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN)))
                .hasMessageContaining("magic number 0x00000801, expected 0x00000803");

        writeIdx(images, 0x803, new int[] {1, 2, 2}, new byte[] {1, 2});
        assertThat(assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN)))
                .hasMessageContaining("truncated: expected 4 data bytes");

        Files.write(images, new byte[] {0, 0, 8, 3});
        assertThat(assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN)))
                .hasMessageContaining("not gzip-compressed");

        writeIdx(images, 0x803, new int[] {2, 1, 1}, new byte[] {1, 2});
        assertThat(assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN)))
                .hasMessageContaining("holds 2 images but").hasMessageContaining("holds 1 labels");

        writeIdx(images, 0x803, new int[] {1, 1, 1}, new byte[] {1});
        writeIdx(labels, 0x801, new int[] {1}, new byte[] {12});
        assertThat(assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN)))
                .hasMessageContaining("label 12 at index 0 is outside 0..9");

        writeIdx(labels, 0x801, new int[] {1}, new byte[] {2});
        FashionMnist ok = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
        assertThat(assertThrows(IndexOutOfBoundsException.class, () -> ok.pixels(1)))
                .hasMessageContaining("index 1 is outside 0..0");
    }

    @Test
    void readsTheInstalledDataset() throws IOException {
        assumeTrue(FashionMnist.isAvailable(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST),
                "Fashion-MNIST is not installed under " + FashionMnist.DEFAULT_DIR
                        + " (apt-get install dataset-fashion-mnist); skipping");
        FashionMnist test = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST);
        assertThat(test.count()).isEqualTo(10_000);
        assertThat(test.rows()).isEqualTo(28);
        assertThat(test.cols()).isEqualTo(28);
        int[] perClass = new int[10];
        for (int i = 0; i < test.count(); i++) {
            perClass[test.label(i)]++;
        }
        // the test split is balanced: 1000 images per class
        assertThat(perClass).containsOnly(1000);
        // first test image is an ankle boot (label 9) in the published dataset
        assertThat(test.label(0)).isEqualTo(9);
        assertThat(test.pixels(0)).contains(0);
        assertThat(java.util.Arrays.stream(test.pixels(0)).max().getAsInt()).isGreaterThan(200);
    }
}
