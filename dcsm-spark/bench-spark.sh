#!/usr/bin/env bash
# dcsm on Spark against dcsm evaluate, on this machine, in one run (docs/PERFORMANCE.md, "Spark"):
#   1. dcsm evaluate                     (single machine, the dcsm launcher)
#   2. spark-evaluate --master local[1]  (the same images, scores and settings, through Spark)
#   3. spark-segment  --master local[N]  for N = 1, 2, 4 (images/s, PNGs and Parquet rows written)
#   4. dcsm tune-crf, then spark-tune-crf --master local[N] for N = 1, 2 (TUNE_LIMIT images, a TUNE_GRID grid;
#      each writes crf.properties into its own copy of the model)
# Each step's time is the one the command prints (work only: JVM and Spark start-up excluded); peak resident memory
# (RSS) of the whole process is GNU time's. Usage:
#   dcsm-spark/bench-spark.sh VOC_DIR MODEL_DIR [SPLIT]     (build first: mvn -B -ntp -q -pl dcsm-examples -am package -DskipTests)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
voc=$1
model=$2
split=${3:-val}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jar="$here/dcsm-examples/target/dcsm.jar"
submit="$here/dcsm-spark/bin/spark-submit"
threads=1   # CRF and map arithmetic threads per image: Spark's parallelism is the tasks

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
run() { # name, command...: prints "name | seconds line | peak RSS"
    local name=$1; shift
    /usr/bin/time -f "%M" -o "$work/rss" "$@" > "$work/out" 2> "$work/err" || { tail -20 "$work/err" >&2; exit 1; }
    local line
    line=$(grep -E "images in [0-9.]+ s|segmented, .* in [0-9.]+ s|^Tuned .* in [0-9.]+ s" "$work/out" | tail -1)
    printf '%-26s | %s | peak RSS %.2f GB | %s\n' "$name" "$line" "$(awk '{print $1 / 1048576}' "$work/rss")" \
        "$(grep '^mIoU' "$work/out" || true)"
}
run "dcsm evaluate" "$here/dcsm" evaluate --no-progress --voc "$voc" --split "$split" --model "$model" --threads $threads
run "spark-evaluate local[1]" "$submit" --master 'local[1]' --class org.dcsm.examples.cli.DcsmCommand "$jar" \
    spark-evaluate --voc "$voc" --split "$split" --model "$model" --threads $threads
for n in 1 2 4; do
    run "spark-segment local[$n]" "$submit" --master "local[$n]" --class org.dcsm.examples.cli.DcsmCommand "$jar" \
        spark-segment --voc "$voc" --split "$split" --model "$model" --threads $threads --out "$work/out-$n"
done
# tuning: the same images and grid on one machine and through Spark (the grid's points spread over the tasks)
limit=${TUNE_LIMIT:-40}
grid=(--alphas 3,5 --normalizations symmetric --w1 1,3,5 --theta-alpha 10,30 --theta-beta 5,10 --w2 1,3)
tune_model() { rm -rf "$work/model-$1"; cp -r "$model" "$work/model-$1"; echo "$work/model-$1"; }
run "tune-crf" "$here/dcsm" tune-crf --no-progress --voc "$voc" --split "$split" --limit "$limit" \
    --model "$(tune_model single)" --threads $threads --method dcsm "${grid[@]}"
for n in 1 2; do
    run "spark-tune-crf local[$n]" "$submit" --master "local[$n]" --class org.dcsm.examples.cli.DcsmCommand "$jar" \
        spark-tune-crf --voc "$voc" --split "$split" --limit "$limit" --model "$(tune_model "spark-$n")" \
        --threads $threads --method dcsm "${grid[@]}"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
