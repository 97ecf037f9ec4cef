#!/usr/bin/env bash
# Data-parallel throughput: one process against N ranks on this machine (lorastudio-cli
# --nproc-per-node N), same project, same global batch (the single process takes batch x N), same
# steps, back to back. Prints tokens/s and peak RSS of each and the ratio. The ranks run twice: with
# the gradient all-reduce in buckets started during backward (training.distributed_bucket_mb,
# BUCKET_MB, default 25) and with one all-reduce after backward (0). On the CPU the ranks share the
# cores (each gets cores / N threads); on a machine with N GPUs set DEVICE=cuda (one GPU each).
#   bench/run_data_parallel_bench.sh [CLI] [PROJECT] [RANKS] [STEPS]
# PROJECT defaults to the SmolLM2-135M bench model (../shared/peer/make_bench_model.py's bench.yaml,
# BENCH_DIR=/tmp/bench-smollm2), else give any project; its batch_size is the per-rank batch.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="${1:-$root/build/app/lorastudio-cli}"
project="${2:-${BENCH_DIR:-/tmp/bench-smollm2}/bench.yaml}"
ranks="${3:-2}"; steps="${4:-8}"; device="${DEVICE:-}"; bucket="${BUCKET_MB:-25}"
[ -f "$project" ] || { echo "no project at $project (make one with ../shared/peer/make_bench_model.py, see its README)" >&2; exit 2; }
work="$(mktemp -d /tmp/lorastudio-dp-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
dir="$(cd "$(dirname "$project")" && pwd)"
batch="$(sed -n 's/^  batch_size: *//p' "$project")"
edit() {  # per-rank batch, bucket MiB -> a copy of the project beside the original (relative paths keep working)
  sed -e "s/^  batch_size: .*/  batch_size: $1/" -e "s/^  max_steps: .*/  max_steps: $steps/" \
      -e "s/^  eval_every: .*/  eval_every: 0/" -e "s/^  analysis_every: .*/  analysis_every: 0/" \
      -e "/^  distributed_bucket_mb:/d" -e "s/^training:$/training:\n  distributed_bucket_mb: $2/" \
      -e "s/^  save_every: .*/  save_every: 0/" ${device:+-e "s/^  device: .*/  device: $device/"} "$project" > "$3"
}
edit "$(( batch * ranks ))" 25 "$dir/.dp-bench-one.yaml"
edit "$batch" "$bucket" "$dir/.dp-bench-ranks.yaml"
edit "$batch" 0 "$dir/.dp-bench-after.yaml"
trap 'rm -rf "$work" "$dir"/.dp-bench-{one,ranks,after}.yaml' EXIT
run() {  # name, args...
  local name="$1"; shift
  /usr/bin/time -v "$cli" train "$@" --plain --output "$work/$name" > "$work/$name.log" 2> "$work/$name.time" ||
    { tail -5 "$work/$name.log" "$work/$name.time" >&2; exit 1; }
}
run one "$dir/.dp-bench-one.yaml"
run ranks "$dir/.dp-bench-ranks.yaml" --nproc-per-node "$ranks"
run after "$dir/.dp-bench-after.yaml" --nproc-per-node "$ranks"
grep -h "Gradient all-reduce" "$work/ranks.log" "$work/after.log" || true
python3 - "$work" "$ranks" "$batch" "$bucket" <<'PY'
import json, re, sys
work, ranks, batch, bucket = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def figures(name):
    rows = [json.loads(l) for l in open(f'{work}/{name}/metrics.jsonl') if '"type":"step"' in l][2:]  # 2 warm-up steps left out
    tps = sum(r['tokens'] for r in rows) / sum(r['tokens'] / r['tokens_per_second'] for r in rows)
    rss = max(int(m) for m in re.findall(r'Maximum resident set size \(kbytes\): (\d+)', open(f'{work}/{name}.time').read()))
    return tps, rss / 1048576
one, job, after = figures('one'), figures('ranks'), figures('after')
print(f"global batch {batch * ranks}: 1 process {one[0]:.1f} tokens/s (peak RSS {one[1]:.2f} GiB) | "
      f"{ranks} ranks {job[0]:.1f} tokens/s (peak RSS of the launcher's largest child {job[1]:.2f} GiB) | speed x{job[0] / one[0]:.2f}")
print(f"{ranks} ranks, buckets of {bucket} MiB started during backward {job[0]:.1f} tokens/s | one all-reduce after "
      f"backward {after[0]:.1f} tokens/s | x{job[0] / after[0]:.3f}")
PY
