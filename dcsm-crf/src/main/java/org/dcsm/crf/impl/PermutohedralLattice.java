package org.dcsm.crf.impl;

import java.util.Arrays;

import org.dcsm.core.impl.Parallel;

/**
 * The permutohedral lattice of Adams, Baek and Davis ("Fast High-Dimensional Filtering Using the
 * Permutohedral Lattice", Eurographics 2010): a {@link KernelFilter} that approximates Gaussian filtering
 * of N points in d dimensions in O(N d² + L d m) per call (L lattice points, m values per point) by
 * <em>splatting</em> each point's values onto the d+1 vertices of its enclosing simplex with barycentric
 * weights, <em>blurring</em> along the d+1 lattice directions with the kernel [1/2, 1, 1/2], and
 * <em>slicing</em> back with the same weights. Feature scaling, the rounding to the nearest remainder-0
 * point, the barycentric coordinates and the output factor {@code 1 / (1 + 2^-d)} follow Krähenbühl's
 * densecrf v2 implementation of the same paper, so the filter approximates
 * {@code sum_j exp(-|f_i - f_j|^2 / 2) v_j} on features divided by their standard deviations.
 *
 * <p>Layout: everything lives in flat primitive arrays. Lattice points are keyed by their d integer
 * coordinates (the (d+1)-th is implied, coordinates sum to zero) in an open-addressing hash table with
 * linear probing; a probe compares the full key, so distinct points never merge. The lattice is built
 * once per image and kernel and reused by every mean-field iteration; all m values of a point are one
 * contiguous vector. Construction order is sequential in pixel order where it matters (point numbering),
 * so the lattice does not depend on the thread count.
 *
 * <p>Threads: the splat runs as a gather per lattice row (the pixels that reach each row, with their weights, in
 * increasing pixel order, indexed once at construction by a counting sort of the vertex references), split over rows;
 * the blur runs over lattice points and the slice over pixels. No two tasks write the same element and every sum
 * runs in the same order whatever the thread count, so multi-threaded results are bitwise equal to single-threaded
 * ones. The gather also keeps a row's sums in registers instead of reading and writing the row once per pixel.
 *
 * <p>Self-interaction: the lattice response of a pixel to its own value is known in closed form from its
 * barycentric weights (the blur couples vertices r and s of one simplex, |r - s| = q apart, with weight
 * 2^-q + 2^-(d+1-q), and a vertex with itself with 1 + 2^-d); it is subtracted so that, like the energy,
 * the filter sums over j != i. The closed form assumes the lattice points on the blur paths exist; where
 * a sparse lattice lacks some, the subtraction slightly overshoots, and outputs are clamped at zero. Built with the
 * self term ({@link #build(float[], int, int, Parallel, boolean, boolean)}), nothing is subtracted: the filter is then
 * densecrf v2's, whose sums include {@code j = i} with the lattice's own (approximate) weight.
 *
 * <p>Not thread-safe: one instance holds its value buffers.
 */
public final class PermutohedralLattice implements KernelFilter {

    /**
     * Whether the label-wide loops run on the Vector API ({@link VectorKernels}): true when the JVM was started
     * with {@code --add-modules jdk.incubator.vector} and a probe computes correctly. Results are bitwise the same
     * either way; only the speed differs.
     */
    public static final boolean VECTOR_API = detectVectorApi();

    private static boolean detectVectorApi() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            float[] a = new float[35];
            float[] b = new float[35];
            for (int i = 0; i < b.length; i++) {
                b[i] = i;
            }
            VectorKernels.gather(a, 0, b, a.length, new int[] {0}, new float[] {2f}, null, 0, 1);
            for (int i = 0; i < a.length; i++) {
                if (a[i] != 2f * i) {
                    return false;
                }
            }
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** Below this many pixels the lattice points are numbered, and the splat indexed, in one sequential pass. */
    private static final int MIN_PARALLEL_NUMBERING = 4096;

    /**
     * How many contiguous pixel ranges the construction's per-range steps (point numbering, splat index) use: one per
     * thread, or one for a single thread or a small image. Any count gives the same lattice.
     */
    private static int pixelRanges(int n, Parallel parallel) {
        return parallel.threads() == 1 || n < MIN_PARALLEL_NUMBERING ? 1 : parallel.threads();
    }

    /** The first pixel of range {@code c} of {@code ranges} over {@code n} pixels ({@code c = ranges}: {@code n}). */
    private static int rangeStart(int n, int c, int ranges) {
        return (int) ((long) n * c / ranges);
    }

    /** Largest |feature| accepted: keeps the integer lattice coordinates far from overflow. */
    public static final float MAX_FEATURE = 1e6f;

    private final int n;
    private final int d;
    private final int size;
    private final float alpha;
    private final int[] vertexRow;
    private final float[] barycentric;
    private final float[] selfWeight;
    private final int[] splatStart;
    private final int[] splatPixel;
    private final float[] splatWeight;
    private final int[] blurNeighbours;
    private final Parallel parallel;
    private final boolean vector;
    private float[] bufferA = new float[0];
    private float[] bufferB = new float[0];
    private float[] blurred;
    private int preparedM = -1;

    private PermutohedralLattice(int n, int d, int size, int[] vertexRow, float[] barycentric, float[] selfWeight,
                                 int[] splatStart, int[] splatPixel, float[] splatWeight, int[] blurNeighbours,
                                 Parallel parallel, boolean vector) {
        this.n = n;
        this.vector = vector;
        this.d = d;
        this.size = size;
        this.alpha = (float) (1.0 / (1.0 + Math.pow(2, -d)));
        this.vertexRow = vertexRow;
        this.barycentric = barycentric;
        this.selfWeight = selfWeight;
        this.splatStart = splatStart;
        this.splatPixel = splatPixel;
        this.splatWeight = splatWeight;
        this.blurNeighbours = blurNeighbours;
        this.parallel = parallel;
    }

    /**
     * Builds the lattice for {@code n} points of dimension {@code d}.
     *
     * @param features N×d row-major, already divided by the kernel's standard deviations; not modified
     * @param parallel the threads to build with (and to filter with later)
     */
    public static PermutohedralLattice build(float[] features, int n, int d, Parallel parallel) {
        return build(features, n, d, parallel, VECTOR_API, false);
    }

    /**
     * As {@link #build(float[], int, int, Parallel)}, choosing the loops: {@code vector} true runs the label-wide
     * loops on the Vector API (only allowed when {@link #VECTOR_API}), false the scalar loops (bitwise equal).
     *
     * @throws IllegalArgumentException when {@code vector} is asked for without the module
     */
    public static PermutohedralLattice build(float[] features, int n, int d, Parallel parallel, boolean vector) {
        return build(features, n, d, parallel, vector, false);
    }

    /**
     * As {@link #build(float[], int, int, Parallel, boolean)}; {@code selfTerm} true keeps the pixel's response to its
     * own value in the sums (densecrf v2's filter), false removes it (the sums run over {@code j != i}).
     */
    public static PermutohedralLattice build(float[] features, int n, int d, Parallel parallel, boolean vector,
                                             boolean selfTerm) {
        checkArguments(features, n, d, vector);
        Simplices simplices = Simplices.enclose(features, n, d, parallel, selfTerm);
        KeyTable table = simplices.table;
        int[] neighbours = blurNeighbours(table, d, parallel);
        SplatIndex splat = SplatIndex.of(simplices.bary, simplices.vertexRow, d + 1, table.size(), parallel);
        return new PermutohedralLattice(n, d, table.size(), simplices.vertexRow, simplices.bary, simplices.self,
                splat.start, splat.pixel, splat.weight, neighbours, parallel, vector);
    }

    private static void checkArguments(float[] features, int n, int d, boolean vector) {
        if (vector && !VECTOR_API) {
            throw new IllegalArgumentException("vector loops need the JVM option --add-modules jdk.incubator.vector");
        }
        if (d < 1) {
            throw new IllegalArgumentException("Lattice dimension must be >= 1, found " + d);
        }
        if (features.length != (long) n * d) {
            throw new IllegalArgumentException("Expected " + n + "x" + d + " features, found " + features.length);
        }
        float largest = 0f;
        for (float v : features) {
            largest = Math.max(largest, Math.abs(v));
        }
        if (!(largest <= MAX_FEATURE)) {
            throw new IllegalArgumentException("Lattice features must be finite with |f| <= " + MAX_FEATURE
                    + " (features divided by their bandwidths), found " + largest);
        }
    }

    /**
     * Steps 1 and 2 of the construction, in one pass over the pixels. Per pixel: the enclosing simplex of the elevated
     * feature vector, its barycentric weights, the closed-form self response, and the lattice point of each of its
     * d+1 vertices. Points are numbered in order of first appearance in pixel order, so the lattice does not depend on
     * the thread count: each of {@code ranges} pixel ranges numbers its own points in a local table (in parallel), and
     * the ranges are then merged in order; a range's points that earlier ranges lack get the next numbers, in the
     * range's own order, which is their global order of first appearance. Only the points, not the pixels, are merged
     * sequentially. A vertex key lives only while its pixel is processed (and the next pixel compares against it):
     * no N(d+1)×d key array is written and read back.
     */
    private static final class Simplices {
        /** N(d+1) barycentric weights, 0 below 1e-6. */
        final float[] bary;
        /** Per pixel, the lattice's response to its own value (0 when the self term is kept). */
        final float[] self;
        /** Per vertex reference {@code k (d+1) + r}: its lattice point's number + 1. */
        final int[] vertexRow;
        /** Every lattice point, numbered. */
        final KeyTable table;

        private Simplices(float[] bary, float[] self, int[] vertexRow, KeyTable table) {
            this.bary = bary;
            this.self = self;
            this.vertexRow = vertexRow;
            this.table = table;
        }

        static Simplices enclose(float[] features, int n, int d, Parallel parallel, boolean selfTerm) {
            final int d1 = d + 1;
            final int refs = Math.multiplyExact(n, d1);
            final float[] bary = new float[refs];
            final float[] self = new float[n];
            final int[] vertexRow = new int[refs];
            final Geometry g = new Geometry(d);
            final int ranges = pixelRanges(n, parallel);
            final KeyTable[] local = new KeyTable[ranges];
            parallel.forChunks(ranges, c -> {
                int from = rangeStart(n, c, ranges);
                int to = rangeStart(n, c + 1, ranges);
                // sized for a point per 8 pixels (the paper's kernels at VOC size have one per 3 to 10) and grown on
                // demand: a table sized for every pixel spread its probes over 8 times the memory
                KeyTable t = new KeyTable(d, Math.max(16, (to - from) / 8));
                encloseRange(features, g, from, to, selfTerm, bary, self, vertexRow, t);
                local[c] = t;
            });
            final KeyTable table = local[0];
            final int[][] renumber = new int[ranges][];
            for (int c = 1; c < ranges; c++) {
                KeyTable t = local[c];
                int[] map = new int[t.size() + 1];
                for (int p = 0; p < t.size(); p++) {
                    map[p + 1] = table.findOrInsert(t.pointKeys(), p * d, t.hash(p)) + 1;
                }
                renumber[c] = map;
            }
            if (ranges > 1) {
                parallel.forChunks(ranges - 1, c0 -> {
                    int c = c0 + 1;
                    int[] map = renumber[c];
                    int from = rangeStart(n, c, ranges) * d1;
                    int to = rangeStart(n, c + 1, ranges) * d1;
                    for (int ref = from; ref < to; ref++) {
                        vertexRow[ref] = map[vertexRow[ref]];
                    }
                });
            }
            return new Simplices(bary, self, vertexRow, table);
        }

        /** Pixels {@code [from, to)}: weights, self responses, and their vertices' point numbers in table {@code t}. */
        private static void encloseRange(float[] features, Geometry g, int from, int to, boolean selfTerm,
                                         float[] bary, float[] self, int[] vertexRow, KeyTable t) {
            final int d = g.d;
            final int d1 = d + 1;
            final double[] scale = g.scale;
            final int[] canonical = g.canonical;
            final double[] coupling = g.coupling;
            double[] elevated = new double[d1];
            int[] rem0 = new int[d1];
            int[] rank = new int[d1];
            double[] b = new double[d + 2];
            int[] keys = new int[d1 * d]; // this pixel's vertex keys
            int[] previous = new int[d1 * d]; // the previous pixel's
            int[] hashes = new int[d1];
            int[] previousHashes = new int[d1];
            for (int k = from; k < to; k++) {
                double sm = 0;
                for (int j = d; j > 0; j--) {
                    double cf = features[k * d + j - 1] * scale[j - 1];
                    elevated[j] = sm - j * cf;
                    sm += cf;
                }
                elevated[0] = sm;
                int sum = 0;
                for (int i = 0; i <= d; i++) {
                    double v = elevated[i] / d1;
                    double up = Math.ceil(v) * d1;
                    double down = Math.floor(v) * d1;
                    rem0[i] = (int) (up - elevated[i] < elevated[i] - down ? up : down);
                    sum += rem0[i] / d1;
                }
                Arrays.fill(rank, 0);
                for (int i = 0; i < d; i++) {
                    double di = elevated[i] - rem0[i];
                    for (int j = i + 1; j <= d; j++) {
                        // branch-free: with noisy features the comparison is a coin toss for the branch predictor
                        int below = di < elevated[j] - rem0[j] ? 1 : 0;
                        rank[i] += below;
                        rank[j] += 1 - below;
                    }
                }
                for (int i = 0; i <= d; i++) {
                    rank[i] += sum;
                    if (rank[i] < 0) {
                        rank[i] += d1;
                        rem0[i] += d1;
                    } else if (rank[i] > d) {
                        rank[i] -= d1;
                        rem0[i] -= d1;
                    }
                }
                Arrays.fill(b, 0);
                for (int i = 0; i <= d; i++) {
                    double v = (elevated[i] - rem0[i]) / d1;
                    b[d - rank[i]] += v;
                    b[d - rank[i] + 1] -= v;
                }
                b[0] += 1.0 + b[d + 1];
                double s = 0;
                for (int r = 0; r <= d; r++) {
                    int ref = k * d1 + r;
                    int kb = r * d;
                    for (int i = 0; i < d; i++) {
                        keys[kb + i] = rem0[i] + canonical[r * d1 + rank[i]];
                    }
                    int h = hash(keys, kb, d);
                    hashes[r] = h;
                    // neighbouring pixels often share vertices, not always at the same r: look among the previous
                    // pixel's before probing the table (the same point either way)
                    int row = 0;
                    if (k > from) {
                        for (int q = 0; q <= d; q++) {
                            if (previousHashes[q] == h && sameKey(keys, kb, previous, q * d, d)) {
                                row = vertexRow[(k - 1) * d1 + q];
                                break;
                            }
                        }
                    }
                    vertexRow[ref] = row != 0 ? row : t.findOrInsert(keys, kb, h) + 1;
                    // weights below 1e-6 (a point on a simplex face) are dropped: they keep the products of the
                    // splat and slice out of float's slow subnormal range
                    bary[ref] = b[r] < 1e-6 ? 0f : (float) b[r];
                    for (int q = 0; q <= d; q++) {
                        s += b[r] * b[q] * coupling[Math.abs(r - q)];
                    }
                }
                self[k] = selfTerm ? 0f : (float) (g.alpha * s); // 0: nothing subtracted, the self term stays
                int[] swap = previous;
                previous = keys;
                keys = swap;
                swap = previousHashes;
                previousHashes = hashes;
                hashes = swap;
            }
        }
    }

    /** The constants of a d-dimensional lattice: feature scales, canonical simplex, blur coupling, output factor. */
    private static final class Geometry {
        final int d;
        final double[] scale;
        final int[] canonical;
        /** Blur coupling of simplex vertices q apart, see the class comment. */
        final double[] coupling;
        final double alpha;

        Geometry(int d) {
            this.d = d;
            final int d1 = d + 1;
            final double invStdDev = Math.sqrt(2.0 / 3.0) * d1;
            scale = new double[d];
            for (int i = 0; i < d; i++) {
                scale[i] = invStdDev / Math.sqrt((i + 2.0) * (i + 1.0));
            }
            canonical = new int[d1 * d1];
            for (int r = 0; r <= d; r++) {
                for (int j = 0; j <= d - r; j++) {
                    canonical[r * d1 + j] = r;
                }
                for (int j = d - r + 1; j <= d; j++) {
                    canonical[r * d1 + j] = r - d1;
                }
            }
            coupling = new double[d1];
            coupling[0] = 1.0 + Math.pow(2, -d);
            for (int q = 1; q <= d; q++) {
                coupling[q] = Math.pow(2, -q) + Math.pow(2, -(d1 - q));
            }
            alpha = 1.0 / (1.0 + Math.pow(2, -d));
        }
    }

    /**
     * Step 3, parallel over lattice points: the two neighbours (point number + 1, 0 when absent) of each point along
     * each of the d+1 blur directions, at {@code 2 (j (L+1) + p + 1)} and the next slot.
     */
    private static int[] blurNeighbours(KeyTable table, int d, Parallel parallel) {
        final int d1 = d + 1;
        final int size = table.size();
        final int[] neighbours = new int[2 * d1 * (size + 1)];
        parallel.forRange(size, (from, to) -> {
            int[] probe = new int[d];
            for (int p = from; p < to; p++) {
                final int[] pointKeys = table.pointKeys();
                int kb = p * d;
                for (int j = 0; j <= d; j++) {
                    for (int i = 0; i < d; i++) {
                        probe[i] = pointKeys[kb + i] + (i == j ? d : -1);
                    }
                    int n1 = table.find(probe, hash(probe, 0, d));
                    for (int i = 0; i < d; i++) {
                        probe[i] = pointKeys[kb + i] + (i == j ? -d : 1);
                    }
                    int n2 = table.find(probe, hash(probe, 0, d));
                    int at = 2 * (j * (size + 1) + p + 1);
                    neighbours[at] = n1 + 1;
                    neighbours[at + 1] = n2 + 1;
                }
            }
        });
        return neighbours;
    }

    /**
     * Step 4: the splat as a gather. Per lattice row, the pixels that splat into it with their weights, in increasing
     * pixel order: a counting sort of the vertex references, zero weights left out (they add nothing). Every row then
     * sums its contributions in pixel order whatever the thread count. Row r's entries are at
     * {@code [start[r], start[r + 1])}. With several threads, each pixel range counts and places its own references,
     * after the ranges before it within every row: the same order, so the same index, as one pass.
     */
    private record SplatIndex(int[] start, int[] pixel, float[] weight) {

        static SplatIndex of(float[] bary, int[] vertexRow, int d1, int size, Parallel parallel) {
            final int n = bary.length / d1;
            final int ranges = pixelRanges(n, parallel);
            final int[][] count = new int[ranges][];
            parallel.forChunks(ranges, c -> {
                int[] rowCount = new int[size + 1];
                for (int ref = rangeStart(n, c, ranges) * d1, to = rangeStart(n, c + 1, ranges) * d1; ref < to; ref++) {
                    if (bary[ref] != 0f) {
                        rowCount[vertexRow[ref]]++;
                    }
                }
                count[c] = rowCount;
            });
            // start[row]: the entries of every row before it; each range's cursor in a row follows the earlier ranges'
            int[] start = new int[size + 2];
            for (int row = 0; row <= size; row++) {
                int total = start[row];
                for (int c = 0; c < ranges; c++) {
                    int k = count[c][row];
                    count[c][row] = total; // now the range's cursor in this row
                    total += k;
                }
                start[row + 1] = total;
            }
            int[] pixel = new int[start[size + 1]];
            float[] weight = new float[start[size + 1]];
            parallel.forChunks(ranges, c -> {
                int[] cursor = count[c];
                for (int ref = rangeStart(n, c, ranges) * d1, to = rangeStart(n, c + 1, ranges) * d1; ref < to; ref++) {
                    if (bary[ref] != 0f) {
                        int at = cursor[vertexRow[ref]]++;
                        pixel[at] = ref / d1;
                        weight[at] = bary[ref];
                    }
                }
            });
            return new SplatIndex(start, pixel, weight);
        }
    }

    /** Number of lattice points L. */
    public int size() {
        return size;
    }

    /** Feature dimension d. */
    public int dimension() {
        return d;
    }

    @Override
    public int pixels() {
        return n;
    }

    /** Bytes held by this lattice's arrays, value buffers for {@code m} values per point included. */
    public long bytes(int m) {
        long ints = (long) vertexRow.length + splatStart.length + splatPixel.length + blurNeighbours.length;
        long floats = (long) barycentric.length + selfWeight.length + splatWeight.length + 2L * (size + 1) * m;
        return 4 * (ints + floats);
    }

    @Override
    public Parallel parallel() {
        return parallel;
    }

    /** Splat and blur; the blurred values stay in this lattice for {@link #slice}. */
    @Override
    public void prepare(float[] in, int m, float[] pre) {
        int len = (size + 1) * m;
        if (bufferA.length < len) {
            bufferA = new float[len];
            bufferB = new float[len];
        }
        final float[] splat = bufferA;
        // splat as a gather: each lattice row sums pre_j * b_j * in_j over the pixels that reach it, in pixel order
        Arrays.fill(splat, 0, m, 0f); // row 0 stands for missing neighbours and stays zero
        parallel.forRange(size, (from, to) -> {
            for (int row = from + 1; row <= to; row++) {
                gather(row, in, m, pre, splat);
            }
        });
        Arrays.fill(bufferB, 0, m, 0f);
        float[] src = bufferA;
        float[] dst = bufferB;
        for (int j = 0; j <= d; j++) {
            final float[] s = src;
            final float[] t = dst;
            final int dir = 2 * j * (size + 1);
            parallel.forRange(size, (from, to) -> {
                for (int p = from + 1; p <= to; p++) {
                    int base = p * m;
                    int n1 = blurNeighbours[dir + 2 * p] * m;
                    int n2 = blurNeighbours[dir + 2 * p + 1] * m;
                    if (vector) {
                        VectorKernels.blur(t, s, base, n1, n2, m);
                        continue;
                    }
                    for (int k = 0; k < m; k++) {
                        t[base + k] = s[base + k] + 0.5f * (s[n1 + k] + s[n2 + k]);
                    }
                }
            });
            src = dst;
            dst = s;
        }
        blurred = src;
        preparedM = m;
    }

    /** The splat of one lattice row: {@code splat[row] = sum_j w_j pre_j in_j}, summed in pixel order. */
    private void gather(int row, float[] in, int m, float[] pre, float[] splat) {
        final int base = row * m;
        final int from = splatStart[row];
        final int to = splatStart[row + 1];
        if (vector) {
            VectorKernels.gather(splat, base, in, m, splatPixel, splatWeight, pre, from, to);
            return;
        }
        int k = 0;
        // eight labels per pass in local sums (registers), so the row is stored once rather than at every pixel
        for (; k + 8 <= m; k += 8) {
            float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, a4 = 0f, a5 = 0f, a6 = 0f, a7 = 0f;
            for (int j = from; j < to; j++) {
                final int pixel = splatPixel[j];
                final float w = pre == null ? splatWeight[j] : splatWeight[j] * pre[pixel];
                final int src = pixel * m + k;
                a0 += w * in[src];
                a1 += w * in[src + 1];
                a2 += w * in[src + 2];
                a3 += w * in[src + 3];
                a4 += w * in[src + 4];
                a5 += w * in[src + 5];
                a6 += w * in[src + 6];
                a7 += w * in[src + 7];
            }
            splat[base + k] = a0;
            splat[base + k + 1] = a1;
            splat[base + k + 2] = a2;
            splat[base + k + 3] = a3;
            splat[base + k + 4] = a4;
            splat[base + k + 5] = a5;
            splat[base + k + 6] = a6;
            splat[base + k + 7] = a7;
        }
        for (; k < m; k++) {
            float acc = 0f;
            for (int j = from; j < to; j++) {
                final int pixel = splatPixel[j];
                final float w = pre == null ? splatWeight[j] : splatWeight[j] * pre[pixel];
                acc += w * in[pixel * m + k];
            }
            splat[base + k] = acc;
        }
    }

    /**
     * Slice for pixel {@code i}: {@code out[offset + k] (+)= scale_i * max(0, alpha * sum_r b_ir V[o_ir][k]
     * - self_i * pre_i * in_i[k])} with {@code scale_i = weight * post_i}. The 2-D and 5-D cases (the paper's
     * kernels) run the fused loops of {@link #sliceRange} for the one pixel; the general case accumulates vertex by
     * vertex in the same order, so every case rounds identically. Reads only pixel {@code i} of {@code in}.
     */
    @Override
    public void slice(int i, float[] in, int m, float[] pre, float[] post, float weight, float[] out, int offset,
                      boolean accumulate, float[] scratch) {
        if (preparedM != m) {
            throw new IllegalStateException("slice with " + m + " values after prepare with " + preparedM);
        }
        if (d == 5) {
            slice5(i, i + 1, in, m, pre, post, weight, out, offset, accumulate);
            return;
        }
        if (d == 2) {
            slice2(i, i + 1, in, m, pre, post, weight, out, offset, accumulate);
            return;
        }
        final float[] v = blurred;
        final int d1 = d + 1;
        final int vb = i * d1;
        final float selfScale = pre == null ? selfWeight[i] : selfWeight[i] * pre[i];
        final float scale = post == null ? weight : weight * post[i];
        final int o = i * m;
        float[] acc = scratch;
        Arrays.fill(acc, 0, m, 0f);
        for (int r = 0; r < d1; r++) {
            int row = vertexRow[vb + r] * m;
            float b = barycentric[vb + r];
            for (int k = 0; k < m; k++) {
                acc[k] += b * v[row + k];
            }
        }
        for (int k = 0; k < m; k++) {
            float x = alpha * acc[k] - selfScale * in[o + k];
            x = Math.max(x, 0f) * scale;
            out[offset + k] = accumulate ? out[offset + k] + x : x;
        }
    }

    /**
     * {@link #slice} over a block of pixels; the 2-D and 5-D cases run as one loop nest without per-pixel
     * calls, with the same arithmetic per value as {@code slice} (bitwise equal results).
     */
    @Override
    public void sliceRange(int from, int to, float[] in, int m, float[] pre, float[] post, float weight,
                           float[] out, boolean accumulate, float[] scratch) {
        if (preparedM != m) {
            throw new IllegalStateException("slice with " + m + " values after prepare with " + preparedM);
        }
        if (d == 5) {
            slice5(from, to, in, m, pre, post, weight, out, 0, accumulate);
        } else if (d == 2) {
            slice2(from, to, in, m, pre, post, weight, out, 0, accumulate);
        } else {
            for (int i = from; i < to; i++) {
                slice(i, in, m, pre, post, weight, out, (i - from) * m, accumulate, scratch);
            }
        }
    }

    private void slice5(int from, int to, float[] in, int m, float[] pre, float[] post, float weight,
                        float[] out, int outBase, boolean accumulate) {
        final float[] v = blurred;
        final int[] rows = vertexRow;
        final float[] bary = barycentric;
        final float a = alpha;
        for (int i = from; i < to; i++) {
            final int vb = i * 6;
            final float selfScale = pre == null ? selfWeight[i] : selfWeight[i] * pre[i];
            final float scale = post == null ? weight : weight * post[i];
            final int o = i * m;
            final int offset = outBase + (i - from) * m;
            final int r0 = rows[vb] * m;
            final int r1 = rows[vb + 1] * m;
            final int r2 = rows[vb + 2] * m;
            final int r3 = rows[vb + 3] * m;
            final int r4 = rows[vb + 4] * m;
            final int r5 = rows[vb + 5] * m;
            final float b0 = bary[vb];
            final float b1 = bary[vb + 1];
            final float b2 = bary[vb + 2];
            final float b3 = bary[vb + 3];
            final float b4 = bary[vb + 4];
            final float b5 = bary[vb + 5];
            if (vector) {
                VectorKernels.slice5(v, r0, r1, r2, r3, r4, r5, b0, b1, b2, b3, b4, b5, a, selfScale, in, o, scale,
                        out, offset, m, accumulate);
            } else if (accumulate) {
                for (int k = 0; k < m; k++) {
                    float x = a * (b0 * v[r0 + k] + b1 * v[r1 + k] + b2 * v[r2 + k] + b3 * v[r3 + k]
                            + b4 * v[r4 + k] + b5 * v[r5 + k]) - selfScale * in[o + k];
                    out[offset + k] += Math.max(x, 0f) * scale;
                }
            } else {
                for (int k = 0; k < m; k++) {
                    float x = a * (b0 * v[r0 + k] + b1 * v[r1 + k] + b2 * v[r2 + k] + b3 * v[r3 + k]
                            + b4 * v[r4 + k] + b5 * v[r5 + k]) - selfScale * in[o + k];
                    out[offset + k] = Math.max(x, 0f) * scale;
                }
            }
        }
    }

    private void slice2(int from, int to, float[] in, int m, float[] pre, float[] post, float weight,
                        float[] out, int outBase, boolean accumulate) {
        final float[] v = blurred;
        final int[] rows = vertexRow;
        final float[] bary = barycentric;
        final float a = alpha;
        for (int i = from; i < to; i++) {
            final int vb = i * 3;
            final float selfScale = pre == null ? selfWeight[i] : selfWeight[i] * pre[i];
            final float scale = post == null ? weight : weight * post[i];
            final int o = i * m;
            final int offset = outBase + (i - from) * m;
            final int r0 = rows[vb] * m;
            final int r1 = rows[vb + 1] * m;
            final int r2 = rows[vb + 2] * m;
            final float b0 = bary[vb];
            final float b1 = bary[vb + 1];
            final float b2 = bary[vb + 2];
            if (vector) {
                VectorKernels.slice2(v, r0, r1, r2, b0, b1, b2, a, selfScale, in, o, scale, out, offset, m, accumulate);
            } else if (accumulate) {
                for (int k = 0; k < m; k++) {
                    float x = a * (b0 * v[r0 + k] + b1 * v[r1 + k] + b2 * v[r2 + k]) - selfScale * in[o + k];
                    out[offset + k] += Math.max(x, 0f) * scale;
                }
            } else {
                for (int k = 0; k < m; k++) {
                    float x = a * (b0 * v[r0 + k] + b1 * v[r1 + k] + b2 * v[r2 + k]) - selfScale * in[o + k];
                    out[offset + k] = Math.max(x, 0f) * scale;
                }
            }
        }
    }

    static int hash(int[] key, int offset, int d) {
        int h = 0;
        for (int i = 0; i < d; i++) {
            h = (h + key[offset + i]) * 0x9E3779B1;
        }
        return h ^ (h >>> 15);
    }

    /** Whether {@code a} at {@code [ao, ao + d)} and {@code b} at {@code [bo, bo + d)} hold the same key. */
    private static boolean sameKey(int[] a, int ao, int[] b, int bo, int d) {
        for (int i = 0; i < d; i++) {
            if (a[ao + i] != b[bo + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Open-addressing hash table (linear probing) from lattice keys to point numbers, numbered in insertion order. Each
     * slot is one long, the key's hash in the high half and the point number + 1 in the low half (0 = empty), so that a
     * probe reads one array to skip non-matching slots; each point's key is copied into one compact array (d ints
     * per point, in point order), which is all a matching probe then reads. A lookup thus touches two small arrays
     * instead of following slot, hash, reference and the N(d+1)×d key array of the pixels, and step 3's neighbour
     * probes and the merge read the points' keys in order.
     */
    private static final class KeyTable {
        private final int d;
        private long[] slots;
        private int mask;
        private int[] pointKeys;
        private int[] hashes;
        private int size;

        KeyTable(int d, int expected) {
            this.d = d;
            int cap = Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1;
            slots = new long[cap];
            mask = cap - 1;
            pointKeys = new int[Math.max(16, expected) * d];
            hashes = new int[Math.max(16, expected)];
        }

        int size() {
            return size;
        }

        /** Point {@code p}'s key, at {@code pointKeys()[p * d ..]}. */
        int[] pointKeys() {
            return pointKeys;
        }

        int hash(int point) {
            return hashes[point];
        }

        /** The point with the key at {@code keys[kb .. kb + d)} (hash {@code h}), inserted when absent. */
        int findOrInsert(int[] keys, int kb, int h) {
            int idx = h & mask;
            while (true) {
                long e = slots[idx];
                if (e == 0) {
                    break;
                }
                if ((int) (e >>> 32) == h) {
                    int p = (int) e - 1;
                    if (same(keys, kb, p)) {
                        return p;
                    }
                }
                idx = (idx + 1) & mask;
            }
            if (size == hashes.length) {
                hashes = Arrays.copyOf(hashes, size * 2);
                pointKeys = Arrays.copyOf(pointKeys, size * 2 * d);
            }
            System.arraycopy(keys, kb, pointKeys, size * d, d);
            hashes[size] = h;
            slots[idx] = slot(h, size);
            size++;
            if (2 * size > slots.length) {
                grow();
            }
            return size - 1;
        }

        /** The point with this key (hash {@code h}), or -1. Read-only: safe to call from several threads. */
        int find(int[] key, int h) {
            int idx = h & mask;
            while (true) {
                long e = slots[idx];
                if (e == 0) {
                    return -1;
                }
                if ((int) (e >>> 32) == h) {
                    int p = (int) e - 1;
                    if (same(key, 0, p)) {
                        return p;
                    }
                }
                idx = (idx + 1) & mask;
            }
        }

        private boolean same(int[] keys, int kb, int p) {
            return sameKey(keys, kb, pointKeys, p * d, d);
        }

        private static long slot(int h, int point) {
            return ((long) h << 32) | ((point + 1) & 0xFFFFFFFFL);
        }

        private void grow() {
            long[] bigger = new long[slots.length * 2];
            int m = bigger.length - 1;
            for (int p = 0; p < size; p++) {
                int idx = hashes[p] & m;
                while (bigger[idx] != 0) {
                    idx = (idx + 1) & m;
                }
                bigger[idx] = slot(hashes[p], p);
            }
            slots = bigger;
            mask = m;
        }
    }
}
