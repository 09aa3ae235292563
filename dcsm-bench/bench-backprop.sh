#!/usr/bin/env bash
# Saliency benchmark: dcsm's SaliencyExtractor (JMH, DL4J/ND4J) against the same computation in
# PyTorch on the CPU, run back to back with the same thread count; prints both times and the ratio.
#
#   dcsm-bench/bench-backprop.sh                # VGG-16 FCN, 500x500, 3 candidates, 2 threads, oneDNN build
#   NET=small ROUNDS=3 THREADS=2 BACKEND=default dcsm-bench/bench-backprop.sh
#
# Needs: Maven, Java 17, python3-torch (Debian: apt-get install -y python3-torch).
# BACKEND=onednn (default) builds dcsm-bench with -Ponednn and loads ND4J's oneDNN/AVX2 build;
# BACKEND=default uses the plain nd4j-native-platform build (im2col + OpenBLAS).
set -euo pipefail
NET=${NET:-vgg16}
SIZE=${SIZE:-500}
CANDIDATES=${CANDIDATES:-3}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-2}
BACKEND=${BACKEND:-onednn}
PYTHON=${PYTHON:-/usr/bin/python3}
cd "$(dirname "$0")/.."

profile=()
jvm=()
if [ "$BACKEND" = onednn ]; then
    profile=(-Ponednn)
    jvm=(-jvmArgsAppend "-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2")
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    mvn -B -ntp -q -pl dcsm-bench -am package -DskipTests "${profile[@]}"
fi
"$PYTHON" -c 'import torch' 2>/dev/null || { echo "PyTorch not found for $PYTHON: apt-get install -y python3-torch" >&2; exit 1; }
export OMP_NUM_THREADS=$THREADS
# ND4J runs its ops on OpenMP threads; OpenBLAS (used by ND4J's GEMM) would start a second pool of
# $THREADS spinning threads on the same cores. One OpenBLAS thread halved the time here (measured).
JAVA_OPENBLAS_THREADS=${JAVA_OPENBLAS_THREADS:-1}

out=$(mktemp -d)
java_times=()
torch_times=()
for round in $(seq 1 "$ROUNDS"); do
    echo "== round $round: load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $THREADS threads"
    OPENBLAS_NUM_THREADS=$JAVA_OPENBLAS_THREADS java -Djmh.ignoreLock=true -jar dcsm-bench/target/benchmarks.jar 'SaliencyBenchmark.saliency' -p net="$NET" -p size="$SIZE" \
        -p candidates="$CANDIDATES" "${jvm[@]}" -rf json -rff "$out/jmh.json" > "$out/jmh.log" 2>&1 \
        || { tail -30 "$out/jmh.log"; exit 1; }
    j=$("$PYTHON" -c 'import json,statistics,sys; d=json.load(open(sys.argv[1])); print(statistics.median([v for fork in d[0]["primaryMetric"]["rawData"] for v in fork]))' "$out/jmh.json")
    echo "dcsm (DL4J/ND4J, $BACKEND, OPENBLAS_NUM_THREADS=$JAVA_OPENBLAS_THREADS): median ${j} s  [$(grep -E '^Iteration' "$out/jmh.log" | sed 's/Iteration *//' | tr '\n' ' ')]"
    "$PYTHON" dcsm-bench/src/main/python/saliency_torch.py --net "$NET" --size "$SIZE" --candidates "$CANDIDATES" \
        --threads "$THREADS" --reps 3 > "$out/torch.log"
    t=$(sed -n 's/^median_s=//p' "$out/torch.log")
    echo "PyTorch $("$PYTHON" -c 'import torch; print(torch.__version__)') CPU: median ${t} s  [$(grep ' rep ' "$out/torch.log" | awk '{print $(NF-1)}' | tr '\n' ' ')]"
    java_times+=("$j")
    torch_times+=("$t")
done
"$PYTHON" - "${java_times[*]}" "${torch_times[*]}" <<'PY'
import statistics, sys
j = [float(x) for x in sys.argv[1].split()]
t = [float(x) for x in sys.argv[2].split()]
print("ratio per round (dcsm / PyTorch): " + " ".join(f"{a / b:.2f}" for a, b in zip(j, t)))
print(f"median dcsm {statistics.median(j):.2f} s, median PyTorch {statistics.median(t):.2f} s, "
      f"ratio {statistics.median(j) / statistics.median(t):.2f}")
PY
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out"
