package org.dcsm.examples.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;

/**
 * The embedded default dataset: synthetic multi-label scenes with exact masks, generated on the fly.
 *
 * <p>Each scene is a {@code size×size} RGB image with a textured or coloured background (flat, gradient,
 * stripes or value noise, all muted colours) and 1–3 objects of <em>distinct</em> classes. The five
 * classes differ in shape, colour and texture: {@code disc} (red, shaded), {@code square} (blue
 * checkerboard, rotated), {@code triangle} (green, rotated), {@code ring} (yellow annulus; its hole is
 * background) and {@code cross} (magenta with stripes, rotated). Colours are jittered per object. Later
 * objects may occlude earlier ones, but every object keeps at least {@link #MIN_VISIBLE_FRACTION} of its
 * area, so the image-level labels always equal the foreground ids present in the mask.
 *
 * <p>Scene {@code i} depends only on the seed and {@code i} (not on which scenes were generated before),
 * so a set can be streamed, split and regenerated exactly. Immutable and thread-safe.
 */
public final class SyntheticScenes {

    /** Class names, background first; the generator's class ids index this list. */
    public static final List<String> CLASS_NAMES = List.of("background", "disc", "square", "triangle", "ring",
            "cross");

    /** The least fraction of an object's own area that stays visible after occlusion. */
    public static final double MIN_VISIBLE_FRACTION = 0.6;

    private static final float[][] BASE_COLOURS = {
            {}, {215, 40, 35}, {40, 75, 215}, {35, 185, 60}, {235, 210, 40}, {200, 45, 200}};

    private final long seed;
    private final int size;
    private final int classCount;
    private final int minObjects;
    private final int maxObjects;
    private final int minObjectSize;
    private final int maxObjectSize;

    private SyntheticScenes(Builder b) {
        this.seed = b.seed;
        this.size = b.size;
        this.classCount = b.classCount;
        this.minObjects = b.minObjects;
        this.maxObjects = b.maxObjects;
        int[] objectSizes = b.minObjectSize > 0 ? new int[] {b.minObjectSize, b.maxObjectSize}
                : defaultObjectSizes(b.size);
        this.minObjectSize = objectSizes[0];
        this.maxObjectSize = objectSizes[1];
    }

    /** The object diameters when none are given: 30 %–50 % of the side {@code size}, at least 8 px. */
    private static int[] defaultObjectSizes(int size) {
        int min = Math.max(8, size * 3 / 10);
        return new int[] {min, Math.max(min, size / 2)};
    }

    /** A builder with the defaults: seed 42, 64 px, 5 classes, 1–3 objects of 30–50 % of the side. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this generator's settings. Object sizes equal to the default for the side are left unset,
     * so they follow a new {@link Builder#size(int)} as they do in {@link #builder()}.
     */
    public Builder toBuilder() {
        Builder b = new Builder().seed(seed).size(size).classCount(classCount).objects(minObjects, maxObjects);
        if (!Arrays.equals(new int[] {minObjectSize, maxObjectSize}, defaultObjectSizes(size))) {
            b.objectSize(minObjectSize, maxObjectSize);
        }
        return b;
    }

    /** Fluent builder, validated in {@link #build()}. */
    public static final class Builder {
        private long seed = 42;
        private int size = 64;
        private int classCount = 5;
        private int minObjects = 1;
        private int maxObjects = 3;
        private int minObjectSize = -1;
        private int maxObjectSize = -1;

        private Builder() {
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Image side in pixels (square images), 24–512; default 64. */
        public Builder size(int size) {
            this.size = size;
            return this;
        }

        /** Number of foreground classes used, 1–5; default 5. */
        public Builder classCount(int classCount) {
            this.classCount = classCount;
            return this;
        }

        /** Objects per scene, each of a distinct class; default 1–3. */
        public Builder objects(int min, int max) {
            this.minObjects = min;
            this.maxObjects = max;
            return this;
        }

        /** Object diameter range in pixels; default 30 %–50 % of the image side. */
        public Builder objectSize(int min, int max) {
            this.minObjectSize = min;
            this.maxObjectSize = max;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad setting and its value */
        public SyntheticScenes build() {
            if (size < 24 || size > 512) {
                throw new IllegalArgumentException("size must be in 24..512, found " + size);
            }
            if (classCount < 1 || classCount > CLASS_NAMES.size() - 1) {
                throw new IllegalArgumentException("classCount must be in 1.." + (CLASS_NAMES.size() - 1)
                        + ", found " + classCount);
            }
            if (minObjects < 1 || maxObjects < minObjects) {
                throw new IllegalArgumentException("objects must satisfy 1 <= min <= max, found min " + minObjects
                        + ", max " + maxObjects);
            }
            if (maxObjects > classCount) {
                throw new IllegalArgumentException("objects max must be <= classCount (objects are of distinct "
                        + "classes), found max " + maxObjects + " with classCount " + classCount);
            }
            if (minObjectSize != -1 || maxObjectSize != -1) {
                if (minObjectSize < 6 || maxObjectSize < minObjectSize || maxObjectSize > size) {
                    throw new IllegalArgumentException("objectSize must satisfy 6 <= min <= max <= size (" + size
                            + "), found min " + minObjectSize + ", max " + maxObjectSize);
                }
            }
            return new SyntheticScenes(this);
        }
    }

    /** The class list: background plus the first {@code classCount} shape classes. */
    public ClassList classes() {
        return ClassList.of(CLASS_NAMES.subList(0, classCount + 1));
    }

    public int size() {
        return size;
    }

    public long seed() {
        return seed;
    }

    /** Scenes {@code from .. from+count-1}, lazily generated, in order. */
    public Stream<Scene> stream(int from, int count) {
        if (from < 0 || count < 0) {
            throw new IllegalArgumentException("from and count must be >= 0, found from " + from + ", count " + count);
        }
        return IntStream.range(from, from + count).mapToObj(this::scene);
    }

    /** Scenes {@code from .. from+count-1} in a new list. */
    public List<Scene> list(int from, int count) {
        return stream(from, count).toList();
    }

    /**
     * Scene number {@code index} (≥ 0): deterministic in (seed, index).
     *
     * @throws IllegalArgumentException when {@code index < 0}
     */
    public Scene scene(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("Scene index must be >= 0, found " + index);
        }
        SplittableRandom rnd = new SplittableRandom(mix(seed, index));
        int n = minObjects + rnd.nextInt(maxObjects - minObjects + 1);
        int[] classes = pickDistinct(rnd, classCount, n);
        for (int attempt = 0; ; attempt++) {
            Canvas canvas = new Canvas(size, size);
            canvas.background(rnd);
            int[] ownArea = new int[n];
            for (int k = 0; k < n; k++) {
                ownArea[k] = drawObject(canvas, rnd, classes[k]);
            }
            int[] visible = new int[CLASS_NAMES.size()];
            for (int v : canvas.mask) {
                visible[v]++;
            }
            boolean ok = true;
            for (int k = 0; k < n; k++) {
                ok &= visible[classes[k]] >= MIN_VISIBLE_FRACTION * ownArea[k] && visible[classes[k]] > 0;
            }
            if (ok || attempt >= 200) {
                int[] labels = Arrays.stream(classes).filter(c -> visible[c] > 0).sorted().toArray();
                return new Scene(String.format("syn_%06d", index), canvas.rgb,
                        LabelMap.of(size, size, canvas.mask), labels);
            }
        }
    }

    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + (index + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static int[] pickDistinct(SplittableRandom rnd, int classCount, int n) {
        List<Integer> pool = new ArrayList<>();
        for (int c = 1; c <= classCount; c++) {
            pool.add(c);
        }
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[k] = pool.remove(rnd.nextInt(pool.size()));
        }
        return out;
    }

    /** Draws one object of {@code classId}; returns the number of pixels it covers (its own area). */
    private int drawObject(Canvas canvas, SplittableRandom rnd, int classId) {
        double r = (minObjectSize + rnd.nextInt(maxObjectSize - minObjectSize + 1)) / 2.0;
        double cx = r + rnd.nextDouble() * Math.max(1e-9, size - 2 * r);
        double cy = r + rnd.nextDouble() * Math.max(1e-9, size - 2 * r);
        double angle = rnd.nextDouble(2 * Math.PI);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        float[] base = BASE_COLOURS[classId];
        float jr = (float) rnd.nextDouble(-25, 25);
        float jg = (float) rnd.nextDouble(-25, 25);
        float jb = (float) rnd.nextDouble(-25, 25);
        float cr = base[0] + jr;
        float cg = base[1] + jg;
        float cb = base[2] + jb;
        int area = 0;
        int x0 = Math.max(0, (int) Math.floor(cx - r - 1));
        int x1 = Math.min(size - 1, (int) Math.ceil(cx + r + 1));
        int y0 = Math.max(0, (int) Math.floor(cy - r - 1));
        int y1 = Math.min(size - 1, (int) Math.ceil(cy + r + 1));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                // object-local coordinates, normalised by the radius
                double u = (dx * cos + dy * sin) / r;
                double v = (-dx * sin + dy * cos) / r;
                if (!inside(classId, u, v)) {
                    continue;
                }
                float shade = texture(classId, u, v, x, y, r);
                float noise = (float) (rnd.nextGaussian() * 5);
                canvas.paint(y * size + x, cr * shade + noise, cg * shade + noise, cb * shade + noise, classId);
                area++;
            }
        }
        return area;
    }

    private static boolean inside(int classId, double u, double v) {
        double d2 = u * u + v * v;
        return switch (classId) {
            case 1 -> d2 <= 1.0;
            case 2 -> Math.abs(u) <= 0.78 && Math.abs(v) <= 0.78;
            case 3 -> {
                // equilateral triangle with circumradius 1, apex at v = -1
                double t = (v + 1.0) / 1.5; // 0 at the apex, 1 at the base (v = 0.5)
                yield t >= 0 && t <= 1 && Math.abs(u) <= t * Math.sqrt(3) / 2;
            }
            case 4 -> d2 <= 1.0 && d2 >= 0.5 * 0.5;
            case 5 -> (Math.abs(u) <= 0.3 && Math.abs(v) <= 1.0) || (Math.abs(v) <= 0.3 && Math.abs(u) <= 1.0);
            default -> throw new IllegalStateException("No shape for class id " + classId);
        };
    }

    /** Brightness factor of the class texture at a pixel (about 0.6–1.2). */
    private static float texture(int classId, double u, double v, int x, int y, double r) {
        return switch (classId) {
            case 1 -> (float) (1.1 - 0.35 * (u * u + v * v)); // radial shading
            case 2 -> ((((int) Math.floor((u + 2) * 3)) + ((int) Math.floor((v + 2) * 3))) & 1) == 0 ? 1.1f : 0.7f;
            case 3 -> (float) (0.8 + 0.3 * (v + 1) / 2); // vertical gradient
            case 4 -> 1.0f;
            case 5 -> ((int) Math.floor((v + 2) * 5) & 1) == 0 ? 1.1f : 0.75f;
            default -> 1f;
        };
    }
}
