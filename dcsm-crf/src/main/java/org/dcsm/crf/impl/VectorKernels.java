package org.dcsm.crf.impl;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The label-wide loops of {@link PermutohedralLattice} (splat as a gather, blur, 2-D and 5-D slice) written with the
 * incubating Vector API of Java 17 ({@code jdk.incubator.vector}): whole vectors of the preferred species over
 * the first {@code m - m % lanes} labels, the same scalar code over the rest. Each lane does the same float
 * operations in the same order as the scalar loops (separate multiply and add, no FMA; the clamp as
 * {@link Math#max}), so results are bitwise equal to the scalar ones.
 *
 * <p>Only loaded when the JVM runs with {@code --add-modules jdk.incubator.vector} (see
 * {@link PermutohedralLattice#VECTOR_API}); no other class mentions a vector type, so without the module the scalar
 * loops run and nothing fails.
 */
final class VectorKernels {

    /**
     * At most 256 bits: {@link MeanField} pads the label count to a multiple of 8 floats, so 8-lane (or 4-lane)
     * vectors cover it without a scalar tail; 16-lane ones would leave one.
     */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256
            ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();

    private VectorKernels() {
    }

    /**
     * The splat of one lattice row as a gather: {@code splat[base + k] = sum_j w_j in[pixel_j * m + k]} over
     * {@code j = from .. to - 1} in that order, {@code w_j = weight[j]} times {@code pre[pixel_j]} when
     * {@code pre} is not null.
     */
    static void gather(float[] splat, int base, float[] in, int m, int[] pixel, float[] weight, float[] pre,
                       int from, int to) {
        int k = 0;
        // three vectors per pass (24 labels on 8 lanes, the VOC case in one pass): each contribution's index and
        // weight are read once for all three
        for (; k + 3 * LANES <= m; k += 3 * LANES) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            for (int j = from; j < to; j++) {
                int p = pixel[j];
                float w = pre == null ? weight[j] : weight[j] * pre[p];
                int src = p * m + k;
                a0 = a0.add(FloatVector.fromArray(S, in, src).mul(w));
                a1 = a1.add(FloatVector.fromArray(S, in, src + LANES).mul(w));
                a2 = a2.add(FloatVector.fromArray(S, in, src + 2 * LANES).mul(w));
            }
            a0.intoArray(splat, base + k);
            a1.intoArray(splat, base + k + LANES);
            a2.intoArray(splat, base + k + 2 * LANES);
        }
        for (; k + LANES <= m; k += LANES) {
            FloatVector acc = FloatVector.zero(S);
            for (int j = from; j < to; j++) {
                int p = pixel[j];
                float w = pre == null ? weight[j] : weight[j] * pre[p];
                acc = acc.add(FloatVector.fromArray(S, in, p * m + k).mul(w));
            }
            acc.intoArray(splat, base + k);
        }
        for (; k < m; k++) {
            float acc = 0f;
            for (int j = from; j < to; j++) {
                int p = pixel[j];
                float w = pre == null ? weight[j] : weight[j] * pre[p];
                acc += w * in[p * m + k];
            }
            splat[base + k] = acc;
        }
    }

    /** {@code t[base + k] = s[base + k] + 0.5 (s[n1 + k] + s[n2 + k])} for {@code k < m} (one blur step). */
    static void blur(float[] t, float[] s, int base, int n1, int n2, int m) {
        int k = 0;
        int upper = m - m % LANES;
        for (; k < upper; k += LANES) {
            FloatVector.fromArray(S, s, base + k)
                    .add(FloatVector.fromArray(S, s, n1 + k).add(FloatVector.fromArray(S, s, n2 + k)).mul(0.5f))
                    .intoArray(t, base + k);
        }
        for (; k < m; k++) {
            t[base + k] = s[base + k] + 0.5f * (s[n1 + k] + s[n2 + k]);
        }
    }

    /** The 5-D slice of one pixel, as in {@code PermutohedralLattice.slice5}. */
    static void slice5(float[] v, int r0, int r1, int r2, int r3, int r4, int r5, float b0, float b1, float b2,
                       float b3, float b4, float b5, float a, float selfScale, float[] in, int o, float scale,
                       float[] out, int offset, int m, boolean accumulate) {
        int k = 0;
        int upper = m - m % LANES;
        for (; k < upper; k += LANES) {
            FloatVector sum = FloatVector.fromArray(S, v, r0 + k).mul(b0)
                    .add(FloatVector.fromArray(S, v, r1 + k).mul(b1))
                    .add(FloatVector.fromArray(S, v, r2 + k).mul(b2))
                    .add(FloatVector.fromArray(S, v, r3 + k).mul(b3))
                    .add(FloatVector.fromArray(S, v, r4 + k).mul(b4))
                    .add(FloatVector.fromArray(S, v, r5 + k).mul(b5));
            storeSlice(sum, a, selfScale, in, o + k, scale, out, offset + k, accumulate);
        }
        for (; k < m; k++) {
            float x = a * (b0 * v[r0 + k] + b1 * v[r1 + k] + b2 * v[r2 + k] + b3 * v[r3 + k]
                    + b4 * v[r4 + k] + b5 * v[r5 + k]) - selfScale * in[o + k];
            x = Math.max(x, 0f) * scale;
            out[offset + k] = accumulate ? out[offset + k] + x : x;
        }
    }

    /**
     * The end of a slice, one vector of labels: {@code out (+)= max(0, a * sum - selfScale * in) * scale}, in the
     * scalar loops' order of operations.
     */
    private static void storeSlice(FloatVector sum, float a, float selfScale, float[] in, int inAt, float scale,
                                   float[] out, int outAt, boolean accumulate) {
        FloatVector x = sum.mul(a).sub(FloatVector.fromArray(S, in, inAt).mul(selfScale))
                .lanewise(VectorOperators.MAX, 0f).mul(scale);
        if (accumulate) {
            x = FloatVector.fromArray(S, out, outAt).add(x);
        }
        x.intoArray(out, outAt);
    }

    /** The 2-D slice of one pixel, as in {@code PermutohedralLattice.slice2}. */
    static void slice2(float[] v, int r0, int r1, int r2, float b0, float b1, float b2, float a, float selfScale,
                       float[] in, int o, float scale, float[] out, int offset, int m, boolean accumulate) {
        int k = 0;
        int upper = m - m % LANES;
        for (; k < upper; k += LANES) {
            FloatVector sum = FloatVector.fromArray(S, v, r0 + k).mul(b0)
                    .add(FloatVector.fromArray(S, v, r1 + k).mul(b1))
                    .add(FloatVector.fromArray(S, v, r2 + k).mul(b2));
            storeSlice(sum, a, selfScale, in, o + k, scale, out, offset + k, accumulate);
        }
        for (; k < m; k++) {
            float x = a * (b0 * v[r0 + k] + b1 * v[r1 + k] + b2 * v[r2 + k]) - selfScale * in[o + k];
            x = Math.max(x, 0f) * scale;
            out[offset + k] = accumulate ? out[offset + k] + x : x;
        }
    }

    /** Lanes per vector; {@link MeanField} runs its vector update only when its stride is a multiple of this. */
    static int lanes() {
        return LANES;
    }

    private static final float LOG2E = (float) (1 / Math.log(2));
    private static final float LN2_HI = 0.693359375f; // 355/512: n * LN2_HI is exact for |n| < 2^15
    private static final float LN2_LO = -2.12194440e-4f; // ln 2 - LN2_HI
    private static final float ROUND_SHIFT = 12582912f; // 1.5 * 2^23
    private static final int ROUND_SHIFT_BITS = Float.floatToRawIntBits(ROUND_SHIFT);

    /**
     * {@code exp(x)} lane-wise for {@code x <= 0}, arguments below -80 raised to -80 (as
     * {@link FastExp#expNonPositive}): {@code exp(x) = 2^n e^g} with {@code n} the nearest integer to
     * {@code x / ln 2}, {@code g = x - n ln 2} (two-part ln 2, {@code |g| <= ln2/2}) and {@code e^g} from its degree-7
     * Taylor polynomial (truncation below 5e-9 relative). No table, so no gather: every step is a lane-wise
     * float operation. Measured in the tests against {@link Math#exp}.
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector y = x.max(-80f);
        // nearest integer n by the 1.5 * 2^23 shift: r's low mantissa bits hold n (no float-int conversion, which
        // Java 17 does not compile to a vector instruction)
        FloatVector r = y.mul(LOG2E).add(ROUND_SHIFT);
        FloatVector nf = r.sub(ROUND_SHIFT);
        IntVector n = r.reinterpretAsInts().sub(ROUND_SHIFT_BITS);
        FloatVector g = y.sub(nf.mul(LN2_HI)).sub(nf.mul(LN2_LO));
        FloatVector p = g.mul(1f / 5040).add(1f / 720).mul(g).add(1f / 120).mul(g).add(1f / 24).mul(g)
                .add(1f / 6).mul(g).add(0.5f).mul(g).add(1f).mul(g).add(1f);
        FloatVector twoToN = n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(twoToN);
    }

    /** {@code y[yo + k] += t * x[xo + k]} for {@code k < len} (separate multiply and add, as the scalar loop). */
    static void axpy(float[] y, int yo, float t, float[] x, int xo, int len) {
        int k = 0;
        for (; k + LANES <= len; k += LANES) {
            FloatVector.fromArray(S, x, xo + k).mul(t).add(FloatVector.fromArray(S, y, yo + k)).intoArray(y, yo + k);
        }
        for (; k < len; k++) {
            y[yo + k] += t * x[xo + k];
        }
    }

    /**
     * {@code a[j] = exp(-a[j] / 2)} for {@code j < len} (squared distances to Gaussian kernel values), 0 where
     * {@code a[j] > cutoff}: {@link #expNonPositive} lane-wise, the tail in scalar code with
     * {@link FastExp#expNonPositive}.
     */
    static void gaussianOfSquared(float[] a, int len, float cutoff) {
        int j = 0;
        for (; j + LANES <= len; j += LANES) {
            FloatVector d2 = FloatVector.fromArray(S, a, j);
            expNonPositive(d2.mul(-0.5f)).blend(0f, d2.compare(VectorOperators.GT, cutoff)).intoArray(a, j);
        }
        for (; j < len; j++) {
            a[j] = a[j] > cutoff ? 0f : FastExp.expNonPositive(-0.5f * a[j]);
        }
    }

    /**
     * {@code part[k] += sum_{t < count} weight[t] * values[index[t] + k]} for {@code k < m}, {@code m} a multiple of
     * {@link #lanes()}: one vector of labels at a time, the weights in the given order (fused multiply-add).
     */
    static void weightedSum(float[] weight, int[] index, int count, float[] values, int m, float[] part) {
        for (int k = 0; k < m; k += LANES) {
            FloatVector acc = FloatVector.fromArray(S, part, k);
            for (int t = 0; t < count; t++) {
                acc = FloatVector.fromArray(S, values, index[t] + k).fma(FloatVector.broadcast(S, weight[t]), acc);
            }
            acc.intoArray(part, k);
        }
    }

    /**
     * The mean-field update of one pixel: {@code Q(l) = softmax(-U(l) - pair(l))} written over the old
     * {@code Q}, values below {@code flush} set to 0; returns {@code sum_l |Q_new(l) - Q_old(l)|}. Label {@code l}
     * of the pixel is at {@code [o + l]} in {@code unary} and {@code q}, {@code stride} values (a multiple of
     * {@link #lanes()}); the unary's padding lanes hold a huge energy, so they get {@code Q = 0}. With
     * {@code potts}, {@code pair(l) = -pottsWeight F(l)} from the messages {@code F} at {@code [po + l]} (zero
     * padding lanes): the Potts energy {@code pottsWeight (sum_l' F(l') - F(l))} less its label-independent part, which
     * the softmax cancels; otherwise {@code pair} already holds the pairwise energies there.
     */
    static float update(float[] unary, float[] pair, int po, boolean potts, float pottsWeight, float[] q, int o,
                        int stride, float flush, float[] scratch) {
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int k = 0; k < stride; k += LANES) {
            FloatVector f = FloatVector.fromArray(S, pair, po + k);
            FloatVector e = potts ? f.neg().mul(pottsWeight) : f;
            FloatVector v = FloatVector.fromArray(S, unary, o + k).add(e).neg();
            v.intoArray(scratch, k);
            max = max.max(v);
        }
        float largest = max.reduceLanes(VectorOperators.MAX);
        FloatVector sum = FloatVector.zero(S);
        for (int k = 0; k < stride; k += LANES) {
            FloatVector x = expNonPositive(FloatVector.fromArray(S, scratch, k).sub(largest));
            x.intoArray(scratch, k);
            sum = sum.add(x);
        }
        float inv = 1f / sum.reduceLanes(VectorOperators.ADD);
        FloatVector change = FloatVector.zero(S);
        for (int k = 0; k < stride; k += LANES) {
            FloatVector v = FloatVector.fromArray(S, scratch, k).mul(inv);
            v = v.blend(0f, v.lt(flush));
            change = change.add(v.sub(FloatVector.fromArray(S, q, o + k)).abs());
            v.intoArray(q, o + k);
        }
        return change.reduceLanes(VectorOperators.ADD);
    }
}
