package org.dcsm.backprop.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.dcsm.core.ClassList;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded synthetic multi-label task for the tests: noisy grey backgrounds with one to three of K coloured
 * shapes (class 1 red filled square, 2 green disc, 3 blue diagonal bar, 4 yellow ring), each at a random
 * place and size.
 */
final class SyntheticShapes {

    static final ClassList CLASSES = ClassList.of("background", "square", "disc", "bar", "ring");

    private SyntheticShapes() {
    }

    static List<LabeledImage> generate(int count, int size, int numClasses, long seed) {
        Random rng = new Random(seed);
        List<LabeledImage> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] rgb = new float[3 * size * size];
            int plane = size * size;
            for (int j = 0; j < plane; j++) {
                float g = 100 + 40 * (float) rng.nextGaussian();
                rgb[j] = g;
                rgb[plane + j] = g;
                rgb[2 * plane + j] = g;
            }
            int present = 1 + rng.nextInt(Math.min(3, numClasses));
            List<Integer> ids = new ArrayList<>();
            while (ids.size() < present) {
                int id = 1 + rng.nextInt(numClasses);
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
            for (int id : ids) {
                draw(rgb, size, id, rng);
            }
            int[] arr = ids.stream().mapToInt(Integer::intValue).toArray();
            out.add(LabeledImage.fromRgb(Nd4j.create(rgb, new long[] {3, size, size}, 'c'), arr));
        }
        return out;
    }

    private static void draw(float[] rgb, int size, int id, Random rng) {
        int plane = size * size;
        int r = size / 8 + rng.nextInt(Math.max(1, size / 8));
        int cy = r + rng.nextInt(Math.max(1, size - 2 * r));
        int cx = r + rng.nextInt(Math.max(1, size - 2 * r));
        float[] colour = switch (id) {
            case 1 -> new float[] {230, 30, 30};
            case 2 -> new float[] {30, 220, 30};
            case 3 -> new float[] {30, 30, 230};
            default -> new float[] {230, 220, 30};
        };
        for (int y = cy - r; y <= cy + r; y++) {
            for (int x = cx - r; x <= cx + r; x++) {
                if (y < 0 || x < 0 || y >= size || x >= size) {
                    continue;
                }
                int dy = y - cy;
                int dx = x - cx;
                double d = Math.sqrt(dx * dx + dy * dy);
                boolean in = switch (id) {
                    case 1 -> true;
                    case 2 -> d <= r;
                    case 3 -> Math.abs(dx - dy) <= Math.max(1, r / 3);
                    default -> d <= r && d >= r * 0.6;
                };
                if (in) {
                    for (int c = 0; c < 3; c++) {
                        rgb[c * plane + y * size + x] = colour[c] + 15 * (float) rng.nextGaussian();
                    }
                }
            }
        }
    }
}
