package org.dcsm.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tiny stand-in for Fashion-MNIST (gzipped IDX files) for tests that must run without the package. */
public final class FashionMnistTestData {

    private FashionMnistTestData() {
    }

    /**
     * Writes train and t10k files of 20 images, 12×12, two per class: class {@code l}'s item is a bright
     * block whose height grows with {@code l}, on a dark background.
     */
    public static Path writeTiny(Path dir) throws IOException {
        Files.createDirectories(dir);
        int n = 20;
        int side = 12;
        byte[] pixels = new byte[n * side * side];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int l = i % 10;
            labels[i] = (byte) l;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    boolean on = x >= 2 && x < side - 2 && y >= 1 && y < 3 + l;
                    pixels[i * side * side + y * side + x] = (byte) (on ? 200 + i : 0);
                }
            }
        }
        for (String prefix : new String[] {"train", "t10k"}) {
            FashionMnistTest.writeIdx(dir.resolve(prefix + "-images-idx3-ubyte.gz"), 0x803, new int[] {n, side, side}, pixels);
            FashionMnistTest.writeIdx(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), 0x801, new int[] {n}, labels);
        }
        return dir;
    }
}
