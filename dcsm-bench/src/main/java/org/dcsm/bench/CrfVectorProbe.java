package org.dcsm.bench;

import org.dcsm.core.impl.Parallel;
import org.dcsm.crf.impl.PermutohedralLattice;

/**
 * Scalar against Vector API lattice loops in one JVM, rounds interleaved (robust to a shared machine's load
 * drifting): one mean-field iteration's lattice work at the VOC size (500×375, 21 labels): splat and blur of a
 * 5-D bilateral-like and a 2-D Gaussian lattice, then the slice of both in blocks of 64 pixels. Prints the median
 * CPU time of the calling thread over rounds 3 to 12. Run with
 * {@code java --add-modules jdk.incubator.vector -cp dcsm-bench/target/benchmarks.jar org.dcsm.bench.CrfVectorProbe}.
 */
public final class CrfVectorProbe {

    private CrfVectorProbe() {
    }

  public static void main(String[] x) {
    int w = 500, h = 375, n = w * h, m = 21; java.util.Random r = new java.util.Random(1);
    float[] f5 = new float[n * 5], f2 = new float[n * 2];
    for (int i = 0; i < n; i++) { int px = i % w, py = i / w; f5[i*5] = px / 30f; f5[i*5+1] = py / 30f;
      int blob = ((px / 80) + (py / 70)) % 6; for (int c = 0; c < 3; c++) f5[i*5+2+c] = (40f * ((blob * (c+1)) % 6) + 8f * (float) r.nextGaussian()) / 10f;
      f2[i*2] = px / 3f; f2[i*2+1] = py / 3f; }
    float[] q = new float[n * m]; for (int i = 0; i < q.length; i++) q[i] = r.nextFloat();
    float[] out = new float[64 * m]; float[] scratch = new float[m];
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    try (Parallel p = Parallel.create(1)) {
      PermutohedralLattice[][] L = { { PermutohedralLattice.build(f5, n, 5, p, false), PermutohedralLattice.build(f2, n, 2, p, false) },
                                     { PermutohedralLattice.build(f5, n, 5, p, true),  PermutohedralLattice.build(f2, n, 2, p, true) } };
      double[][] t = new double[2][12];
      for (int round = 0; round < 12; round++) for (int v = 0; v < 2; v++) {
        long c0 = mx.getCurrentThreadCpuTime();
        for (PermutohedralLattice l : L[v]) l.prepare(q, m, null);
        for (int b = 0; b < n; b += 64) { int e = Math.min(n, b + 64); L[v][0].sliceRange(b, e, q, m, null, null, 1f, out, false, scratch); L[v][1].sliceRange(b, e, q, m, null, null, 1f, out, true, scratch); }
        t[v][round] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
      }
      for (int v = 0; v < 2; v++) { double[] s = java.util.Arrays.copyOfRange(t[v], 2, 12); java.util.Arrays.sort(s);
        System.out.printf("%s: splat+blur+slice of both lattices, CPU median %.1f ms (min %.1f) over rounds 3-12; sizes %d + %d%n", v == 0 ? "scalar" : "vector", s[5], s[0], L[v][0].size(), L[v][1].size()); }
    }
  }
}
