package org.dcsm.crf.impl;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The label-wide loops of {@link PermutohedralLattice} (splat, blur, 2-D and 5-D slice) written with the
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

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();

    private VectorKernels() {
    }

    /** {@code dst[d0 + k] += w * src[s0 + k]} for {@code k < m} (the splat). */
    static void axpy(float[] dst, int d0, float w, float[] src, int s0, int m) {
        int k = 0;
        int upper = m - m % LANES;
        for (; k < upper; k += LANES) {
            FloatVector.fromArray(S, dst, d0 + k).add(FloatVector.fromArray(S, src, s0 + k).mul(w))
                    .intoArray(dst, d0 + k);
        }
        for (; k < m; k++) {
            dst[d0 + k] += w * src[s0 + k];
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
            FloatVector x = sum.mul(a).sub(FloatVector.fromArray(S, in, o + k).mul(selfScale))
                    .lanewise(VectorOperators.MAX, 0f).mul(scale);
            if (accumulate) {
                x = FloatVector.fromArray(S, out, offset + k).add(x);
            }
            x.intoArray(out, offset + k);
        }
        for (; k < m; k++) {
            float x = a * (b0 * v[r0 + k] + b1 * v[r1 + k] + b2 * v[r2 + k] + b3 * v[r3 + k]
                    + b4 * v[r4 + k] + b5 * v[r5 + k]) - selfScale * in[o + k];
            x = Math.max(x, 0f) * scale;
            out[offset + k] = accumulate ? out[offset + k] + x : x;
        }
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
            FloatVector x = sum.mul(a).sub(FloatVector.fromArray(S, in, o + k).mul(selfScale))
                    .lanewise(VectorOperators.MAX, 0f).mul(scale);
            if (accumulate) {
                x = FloatVector.fromArray(S, out, offset + k).add(x);
            }
            x.intoArray(out, offset + k);
        }
        for (; k < m; k++) {
            float x = a * (b0 * v[r0 + k] + b1 * v[r1 + k] + b2 * v[r2 + k]) - selfScale * in[o + k];
            x = Math.max(x, 0f) * scale;
            out[offset + k] = accumulate ? out[offset + k] + x : x;
        }
    }
}
