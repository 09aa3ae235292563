package org.dcsm.bench;

import java.util.Arrays;

/**
 * A fixed memory-bound reference of the CRF's data size, to divide the CRF's times by: ratios to it move much less
 * with a shared machine's load than times do. 10 streaming passes {@code c = a + 0.5 b} over three arrays of
 * {@code W·H·24} floats (the size of Q at 21 labels, padded to 24), whatever the labels and threads measured beside it.
 * One thread. Used by {@link DenseCrfBenchmark#reference()}, {@link CrfSetupProbe} and {@link CrfVsCppProbe}.
 */
final class ReferenceLoop {

    private final float[] a;
    private final float[] b;
    private final float[] c;

    /** The loop for a {@code width × height} image. */
    ReferenceLoop(int width, int height) {
        int len = Math.multiplyExact(width * height, 24);
        a = new float[len];
        b = new float[len];
        c = new float[len];
        Arrays.fill(a, 1f);
        Arrays.fill(b, 2f);
    }

    /** Runs the 10 passes; returns a value of the result so that the work cannot be dropped. */
    float run() {
        float[] s = a;
        float[] t = c;
        for (int pass = 0; pass < 10; pass++) {
            for (int i = 0; i < t.length; i++) {
                t[i] = s[i] + 0.5f * b[i];
            }
            float[] swap = s;
            s = t;
            t = swap;
        }
        float out = s[s.length / 2];
        Arrays.fill(a, 1f); // keep the values bounded from call to call
        return out;
    }
}
