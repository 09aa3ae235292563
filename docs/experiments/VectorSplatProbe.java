// Probe, not part of the build: the dense CRF splat inner loop (21 labels, scalar) against a jdk.incubator.vector
// version on 24 padded lanes (mul + add, no FMA, so lane-wise bitwise equal to the scalar form). Run with
// java --add-modules jdk.incubator.vector -Xmx2g docs/experiments/VectorSplatProbe.java
// It prints the CPU time of the calling thread per splat of 187,500 pixels x 6 vertices (the bilateral lattice).
import jdk.incubator.vector.*;
public class VectorSplatProbe {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  static void scalar(float[] a, float[] b, int[] rows, float[] w, int n, int m) {
    for (int i = 0; i < n; i++) { int src = i * m;
      for (int r = 0; r < 6; r++) { int base = rows[i*6+r] * m; float ww = w[i*6+r];
        for (int k = 0; k < m; k++) a[base + k] += ww * b[src + k]; } } }
  static void vec(float[] a, float[] b, int[] rows, float[] w, int n, int m) { // m multiple of 8
    for (int i = 0; i < n; i++) { int src = i * m;
      for (int r = 0; r < 6; r++) { int base = rows[i*6+r] * m; FloatVector ww = FloatVector.broadcast(S, w[i*6+r]);
        for (int k = 0; k < m; k += 8) FloatVector.fromArray(S, a, base + k).add(ww.mul(FloatVector.fromArray(S, b, src + k))).intoArray(a, base + k); } } }
  public static void main(String[] x) {
    int n = 187500; int L = 50000; var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.Random rnd = new java.util.Random(1);
    for (int rep = 0; rep < 3; rep++) for (int m : new int[]{21, 24}) {
      float[] a = new float[L*m]; float[] b = new float[n*m]; int[] rows = new int[n*6]; float[] w = new float[n*6];
      for (int i=0;i<n*6;i++){ rows[i]= Math.min(L-1, (int)((long)(i/6)*L/n) + (i%6)*7); w[i]=rnd.nextFloat();}
      for (int i=0;i<b.length;i++) b[i]=rnd.nextFloat();
      boolean v = m == 24;
      for (int it=0; it<5; it++) if (v) vec(a,b,rows,w,n,m); else scalar(a,b,rows,w,n,m);
      long c0 = mx.getCurrentThreadCpuTime();
      for (int it=0; it<10; it++) if (v) vec(a,b,rows,w,n,m); else scalar(a,b,rows,w,n,m);
      long c1 = mx.getCurrentThreadCpuTime();
      System.out.printf("%s m=%d cpu %.1f ms per splat (n=187500, 6 vertices)%n", v ? "vector" : "scalar", m, (c1-c0)/1e7);
    }
  }
}
