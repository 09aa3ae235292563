package org.dcsm.examples.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;

/**
 * Multi-label segmentation scenes made of real Fashion-MNIST photographs: 1–3 items of distinct classes,
 * each scaled (bilinear) to a random size; in the default {@link Style} tinted with a random bright colour
 * and placed on a textured or coloured background, in {@link Style#PHOTO_ON_BLACK} kept grey on black.
 * The items come from all ten classes or from a subset ({@link Builder#classes(List)}), whose class ids
 * are then 1..subset size in the subset's order ({@link #classList()}). An item's mask is exact by
 * construction: the pixels whose scaled intensity is above {@link Builder#threshold(int)} are painted with
 * the item and labelled with its class; all other pixels keep the background (or the item below). Later items may occlude earlier ones; every item keeps
 * at least {@link #MIN_VISIBLE_FRACTION} of its own area, so the labels equal the ids in the mask.
 *
 * <p>Scene {@code i} depends only on the seed and {@code i}. Items are drawn from the source's images
 * {@code [firstItem, firstItem+itemCount)}, so train and validation scenes can use disjoint photographs.
 * Immutable and thread-safe.
 */
public final class FashionComposer {

    /** How the items and the background look. */
    public enum Style {
        /**
         * Each item tinted with a random bright colour, on one of the textured or coloured backgrounds of the
         * demo's scenes: the classes then differ only in shape under a random colour and a busy background.
         */
        TINTED_ON_TEXTURE,
        /**
         * Each item keeps its photograph's grey levels, on black, as Fashion-MNIST's own images are. The small
         * FCN trained from scratch gets its loss below the label prior's on these scenes, not on the tinted ones
         * (docs/RESULTS.md); DCSM's maps of weak candidates then spread over the uniform black, though.
         */
        PHOTO_ON_BLACK
    }

    /** The least fraction of an item's own area that stays visible after occlusion. */
    public static final double MIN_VISIBLE_FRACTION = 0.6;

    private final FashionMnist source;
    private final long seed;
    private final int size;
    private final int minItems;
    private final int maxItems;
    private final int minItemSize;
    private final int maxItemSize;
    private final int threshold;
    private final Style style;
    private final int firstItem;
    private final int itemCount;
    private final List<String> classNames;
    /** Source images per class of the subset, indexed by class id − 1. */
    private final int[][] byLabel;

    private FashionComposer(Builder b) {
        this.source = b.source;
        this.seed = b.seed;
        this.size = b.size;
        this.minItems = b.minItems;
        this.maxItems = b.maxItems;
        int[] itemSizes = b.minItemSize > 0 ? new int[] {b.minItemSize, b.maxItemSize} : defaultItemSizes(b.size);
        this.minItemSize = itemSizes[0];
        this.maxItemSize = itemSizes[1];
        this.threshold = b.threshold;
        this.style = b.style;
        this.firstItem = b.firstItem;
        this.itemCount = b.itemCount > 0 ? b.itemCount : b.source.count() - b.firstItem;
        this.classNames = b.classNames;
        List<List<Integer>> lists = new ArrayList<>();
        for (int l = 0; l < FashionMnist.CLASS_NAMES.size(); l++) {
            lists.add(new ArrayList<>());
        }
        for (int i = firstItem; i < firstItem + itemCount; i++) {
            lists.get(source.label(i)).add(i);
        }
        this.byLabel = new int[classNames.size()][];
        for (int c = 0; c < classNames.size(); c++) {
            byLabel[c] = lists.get(FashionMnist.CLASS_NAMES.indexOf(classNames.get(c))).stream()
                    .mapToInt(Integer::intValue).toArray();
        }
    }

    /** The item sides when none are given: 40 %–60 % of the scene side {@code size}, at least 20 px. */
    private static int[] defaultItemSizes(int size) {
        int min = Math.max(20, size * 4 / 10);
        return new int[] {min, Math.max(min, size * 6 / 10)};
    }

    /** A builder over {@code source}: seed 7, 96 px, 1–3 items of 40–60 % of the side, threshold 40. */
    public static Builder builder(FashionMnist source) {
        return new Builder(source);
    }

    /**
     * A builder over the same source holding this composer's settings. Item sizes equal to the default for the side
     * are left unset, so they follow a new {@link Builder#size(int)} as they do in {@link #builder(FashionMnist)}.
     */
    public Builder toBuilder() {
        Builder b = new Builder(source).seed(seed).size(size).items(minItems, maxItems).threshold(threshold)
                .style(style).classes(classNames).itemRange(firstItem, itemCount);
        if (!Arrays.equals(new int[] {minItemSize, maxItemSize}, defaultItemSizes(size))) {
            b.itemSize(minItemSize, maxItemSize);
        }
        return b;
    }

    /** Fluent builder, validated in {@link #build()}. */
    public static final class Builder {
        private final FashionMnist source;
        private long seed = 7;
        private int size = 96;
        private int minItems = 1;
        private int maxItems = 3;
        private int minItemSize = -1;
        private int maxItemSize = -1;
        private int threshold = 40;
        private Style style = Style.TINTED_ON_TEXTURE;
        private int firstItem = 0;
        private int itemCount = -1;
        private List<String> classNames = FashionMnist.CLASS_NAMES;

        private Builder(FashionMnist source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Scene side in pixels, 32–1024; default 96. */
        public Builder size(int size) {
            this.size = size;
            return this;
        }

        /** Items per scene (distinct classes), 1 ≤ min ≤ max ≤ the number of classes; default 1–3. */
        public Builder items(int min, int max) {
            this.minItems = min;
            this.maxItems = max;
            return this;
        }

        /** Side of a scaled item in pixels; default 40 %–60 % of the scene side. */
        public Builder itemSize(int min, int max) {
            this.minItemSize = min;
            this.maxItemSize = max;
            return this;
        }

        /** Intensity (0–254) above which a scaled item pixel belongs to the item; default 40. */
        public Builder threshold(int threshold) {
            this.threshold = threshold;
            return this;
        }

        /** How items and backgrounds look; default {@link Style#TINTED_ON_TEXTURE}. */
        public Builder style(Style style) {
            this.style = Objects.requireNonNull(style, "style");
            return this;
        }

        /**
         * Compose from these Fashion-MNIST classes only ({@link FashionMnist#CLASS_NAMES} names, distinct); their
         * class ids are 1..n in this order. Default: all ten in Fashion-MNIST's order.
         */
        public Builder classes(List<String> names) {
            this.classNames = List.copyOf(Objects.requireNonNull(names, "names"));
            return this;
        }

        /** Use only source images {@code [first, first+count)}; default all. */
        public Builder itemRange(int first, int count) {
            this.firstItem = first;
            this.itemCount = count;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad setting and its value */
        public FashionComposer build() {
            if (size < 32 || size > 1024) {
                throw new IllegalArgumentException("size must be in 32..1024, found " + size);
            }
            if (classNames.isEmpty()) {
                throw new IllegalArgumentException("classes must name at least one Fashion-MNIST class, found none");
            }
            for (int c = 0; c < classNames.size(); c++) {
                String name = classNames.get(c);
                if (!FashionMnist.CLASS_NAMES.contains(name)) {
                    throw new IllegalArgumentException("Unknown Fashion-MNIST class '" + name + "'; known: "
                            + String.join(", ", FashionMnist.CLASS_NAMES));
                }
                if (classNames.indexOf(name) != c) {
                    throw new IllegalArgumentException("Fashion-MNIST class '" + name + "' is named twice");
                }
            }
            if (minItems < 1 || maxItems < minItems || maxItems > classNames.size()) {
                throw new IllegalArgumentException("items must satisfy 1 <= min <= max <= " + classNames.size()
                        + " (the number of classes), found min " + minItems + ", max " + maxItems);
            }
            if (minItemSize != -1 || maxItemSize != -1) {
                if (minItemSize < 8 || maxItemSize < minItemSize || maxItemSize > size) {
                    throw new IllegalArgumentException("itemSize must satisfy 8 <= min <= max <= size (" + size
                            + "), found min " + minItemSize + ", max " + maxItemSize);
                }
            }
            if (threshold < 0 || threshold > 254) {
                throw new IllegalArgumentException("threshold must be in 0..254, found " + threshold);
            }
            int count = itemCount == -1 ? source.count() - firstItem : itemCount;
            if (firstItem < 0 || count < 1 || firstItem + count > source.count()) {
                throw new IllegalArgumentException("itemRange must lie inside 0.." + source.count() + ", found first "
                        + firstItem + ", count " + itemCount);
            }
            FashionComposer composer = new FashionComposer(this);
            for (int l = 0; l < composer.byLabel.length; l++) {
                if (composer.byLabel[l].length == 0) {
                    throw new IllegalArgumentException("itemRange first " + firstItem + ", count " + count
                            + " holds no image of class '" + composer.classNames.get(l) + "'");
                }
            }
            return composer;
        }
    }

    /** Background plus the ten Fashion-MNIST classes (label {@code l} is class id {@code l + 1}). */
    public static ClassList classes() {
        return withBackground(FashionMnist.CLASS_NAMES);
    }

    /** Background plus this composer's classes, in the order of their ids. */
    public ClassList classList() {
        return withBackground(classNames);
    }

    private static ClassList withBackground(List<String> classNames) {
        List<String> names = new ArrayList<>();
        names.add("background");
        names.addAll(classNames);
        return ClassList.of(names);
    }

    public int size() {
        return size;
    }

    /** Scenes {@code from .. from+count-1}, lazily composed, in order. */
    public Stream<Scene> stream(int from, int count) {
        if (from < 0 || count < 0) {
            throw new IllegalArgumentException("from and count must be >= 0, found from " + from + ", count " + count);
        }
        return IntStream.range(from, from + count).mapToObj(this::scene);
    }

    /**
     * Scene number {@code index} (≥ 0), deterministic in (seed, index).
     *
     * @throws IllegalArgumentException when {@code index < 0}
     */
    public Scene scene(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("Scene index must be >= 0, found " + index);
        }
        SplittableRandom rnd = new SplittableRandom(SyntheticScenes.mix(seed ^ 0x5DEECE66DL, index));
        int n = minItems + rnd.nextInt(maxItems - minItems + 1);
        int[] classes = SyntheticScenes.pickDistinct(rnd, classNames.size(), n);
        int[] items = new int[n];
        for (int k = 0; k < n; k++) {
            int[] pool = byLabel[classes[k] - 1];
            items[k] = pool[rnd.nextInt(pool.length)];
        }
        for (int attempt = 0; ; attempt++) {
            Canvas canvas = new Canvas(size, size);
            if (style == Style.TINTED_ON_TEXTURE) {
                canvas.background(rnd);
            }
            int[] ownArea = new int[n];
            for (int k = 0; k < n; k++) {
                ownArea[k] = drawItem(canvas, rnd, items[k], classes[k]);
            }
            int[] visible = new int[classNames.size() + 1];
            for (int v : canvas.mask) {
                visible[v]++;
            }
            boolean ok = true;
            for (int k = 0; k < n; k++) {
                ok &= visible[classes[k]] > 0 && visible[classes[k]] >= MIN_VISIBLE_FRACTION * ownArea[k];
            }
            if (ok || attempt >= 200) {
                int[] labels = Arrays.stream(classes).filter(c -> visible[c] > 0).sorted().toArray();
                return new Scene(String.format("fashion_%06d", index), canvas.rgb, LabelMap.of(size, size, canvas.mask),
                        labels);
            }
        }
    }

    /** Paints one scaled item (tinted in the tinted style); returns its own area in pixels. */
    private int drawItem(Canvas canvas, SplittableRandom rnd, int item, int classId) {
        int side = minItemSize + rnd.nextInt(maxItemSize - minItemSize + 1);
        int ox = rnd.nextInt(size - side + 1);
        int oy = rnd.nextInt(size - side + 1);
        boolean tinted = style == Style.TINTED_ON_TEXTURE;
        float[] tint = tinted ? brightColour(rnd) : new float[] {255f, 255f, 255f};
        int[] src = source.pixels(item);
        int rows = source.rows();
        int cols = source.cols();
        int area = 0;
        for (int y = 0; y < side; y++) {
            // bilinear sampling, pixel centres aligned
            double sy = Math.min(rows - 1.0, Math.max(0.0, (y + 0.5) * rows / side - 0.5));
            int iy = (int) sy;
            int iy1 = Math.min(iy + 1, rows - 1);
            double ay = sy - iy;
            for (int x = 0; x < side; x++) {
                double sx = Math.min(cols - 1.0, Math.max(0.0, (x + 0.5) * cols / side - 0.5));
                int ix = (int) sx;
                int ix1 = Math.min(ix + 1, cols - 1);
                double ax = sx - ix;
                double value = (1 - ay) * ((1 - ax) * src[iy * cols + ix] + ax * src[iy * cols + ix1])
                        + ay * ((1 - ax) * src[iy1 * cols + ix] + ax * src[iy1 * cols + ix1]);
                if (value <= threshold) {
                    continue;
                }
                float f = (float) (tinted ? 0.35 + 0.65 * value / 255.0 : value / 255.0);
                canvas.paint((oy + y) * size + ox + x, tint[0] * f, tint[1] * f, tint[2] * f, classId);
                area++;
            }
        }
        return area;
    }

    /** A random saturated, bright colour (one channel high, one low), so items stand out from muted backgrounds. */
    private static float[] brightColour(SplittableRandom rnd) {
        float[] c = new float[3];
        int hi = rnd.nextInt(3);
        int lo = (hi + 1 + rnd.nextInt(2)) % 3;
        for (int i = 0; i < 3; i++) {
            c[i] = (float) rnd.nextDouble(90, 200);
        }
        c[hi] = 255f;
        c[lo] = (float) rnd.nextDouble(0, 80);
        return c;
    }
}
