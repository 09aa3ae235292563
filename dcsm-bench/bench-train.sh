#!/usr/bin/env bash
# Training benchmark: one MultiLabelTrainer step (forward + backward + update; JMH TrainStepBenchmark) against
# the same step in PyTorch on the CPU (src/main/python/train_torch.py), same network, batch, input size and
# thread count, alternating dcsm and PyTorch for ROUNDS rounds; prints images/s of both and their ratio.
#
#   dcsm-bench/bench-train.sh                                   # small FCN, 96 px, batch 8, 2 threads
#   BATCH=32 dcsm-bench/bench-train.sh
#   NET=vgg16 SIZE=320 BATCH=2 ROUNDS=2 STEPS=3 dcsm-bench/bench-train.sh
#   OPT=adamw BATCH=32 dcsm-bench/bench-train.sh                # dcsm train's default update (AdamW) on both sides
#   MALLOC_ENV=0 BACKEND=default dcsm-bench/bench-train.sh     # without the allocator settings / oneDNN
#
# Needs: Maven, Java 17, python3-torch (Debian: apt-get install -y python3-torch).
# BACKEND=onednn (default) loads ND4J's oneDNN/AVX2 build, BACKEND=default the plain nd4j-native build.
# MALLOC_ENV=1 (default) runs the JVM with the glibc/OpenMP settings the dcsm launcher uses (see README), and
# PyTorch too unless TORCH_ENV=plain: under load, PyTorch's spinning OpenMP threads made it 4-10x slower here
# without OMP_WAIT_POLICY=PASSIVE, so the default compares both sides with the same settings.
# JAR=path runs another build of benchmarks.jar (e.g. one made from an older commit) on the same schedule.
set -euo pipefail
NET=${NET:-small}
SIZE=${SIZE:-96}
BATCH=${BATCH:-8}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-3}
STEPS=${STEPS:-10}
BACKEND=${BACKEND:-onednn}
OPT=${OPT:-sgd}
MALLOC_ENV=${MALLOC_ENV:-1}
PYTHON=${PYTHON:-/usr/bin/python3}
cd "$(dirname "$0")/.."
JAR=${JAR:-dcsm-bench/target/benchmarks.jar}

jvm=()
if [ "$BACKEND" = onednn ]; then
    jvm=(-jvmArgsAppend "-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2")
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    mvn -B -ntp -q -pl dcsm-bench -am package -DskipTests  # with the oneDNN build on Linux x86-64 (profile onednn)
fi
"$PYTHON" -c 'import torch' 2>/dev/null || { echo "PyTorch not found for $PYTHON: apt-get install -y python3-torch" >&2; exit 1; }
export OMP_NUM_THREADS=$THREADS
TORCH_ENV=${TORCH_ENV:-same}
java_env=()
if [ "$MALLOC_ENV" = 1 ]; then
    # keep glibc from returning freed pages to the kernel (this VM faults fresh pages slowly), and let idle
    # OpenMP threads sleep instead of spinning on cores the other side of the benchmark needs
    java_env+=(MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=1073741824
               OMP_WAIT_POLICY=PASSIVE)
fi

torch_env=()
if [ "$TORCH_ENV" = same ]; then
    torch_env=("${java_env[@]}")
fi

out=$(mktemp -d)
java_ips=()
torch_ips=()
for round in $(seq 1 "$ROUNDS"); do
    echo "== round $round: load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $THREADS threads"
    env "${java_env[@]}" java -Djmh.ignoreLock=true -jar "$JAR" 'TrainStepBenchmark.step' -p net="$NET" \
        -p size="$SIZE" -p batch="$BATCH" -p optimizer="$OPT" -wi "$WARMUP" -i "$STEPS" "${jvm[@]}" -rf json -rff "$out/jmh.json" \
        > "$out/jmh.log" 2>&1 || { tail -30 "$out/jmh.log"; exit 1; }
    j=$("$PYTHON" -c 'import json,statistics,sys; d=json.load(open(sys.argv[1])); print(statistics.median([v for fork in d[0]["primaryMetric"]["rawData"] for v in fork]))' "$out/jmh.json")
    ji=$("$PYTHON" -c "print(f'{$BATCH / $j:.2f}')")
    echo "dcsm ($BACKEND, MALLOC_ENV=$MALLOC_ENV): median ${j} s/step = ${ji} images/s  [$(grep -E '^Iteration' "$out/jmh.log" | sed 's/Iteration *[0-9]*: //; s/ s\/op//' | tr '\n' ' ')]"
    env "${torch_env[@]}" "$PYTHON" dcsm-bench/src/main/python/train_torch.py --net "$NET" --size "$SIZE" --batch "$BATCH" \
        --threads "$THREADS" --warmup "$WARMUP" --steps "$STEPS" --optimizer "$OPT" > "$out/torch.log"
    t=$(sed -n 's/^median_s=//p' "$out/torch.log")
    ti=$(sed -n 's/^images_per_s=//p' "$out/torch.log")
    echo "PyTorch $("$PYTHON" -c 'import torch; print(torch.__version__)') CPU (TORCH_ENV=$TORCH_ENV): median ${t} s/step = ${ti} images/s  [$(grep ' step ' "$out/torch.log" | awk '{print $(NF-3)}' | tr '\n' ' ')]"
    java_ips+=("$ji")
    torch_ips+=("$ti")
done
"$PYTHON" - "${java_ips[*]}" "${torch_ips[*]}" <<'PY'
import statistics, sys
j = [float(x) for x in sys.argv[1].split()]
t = [float(x) for x in sys.argv[2].split()]
print("ratio per round (dcsm / PyTorch images/s): " + " ".join(f"{a / b:.2f}" for a, b in zip(j, t)))
print(f"median dcsm {statistics.median(j):.2f} images/s, median PyTorch {statistics.median(t):.2f} images/s, "
      f"ratio {statistics.median(j) / statistics.median(t):.2f}")
PY
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out"
