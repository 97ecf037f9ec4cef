#!/usr/bin/env bash
# Model load time and peak RSS vs file size: our loader beside plain PyTorch, same file, one run.
# The page cache is warm for both (the file was just written). Usage: bench/run_load_bench.sh [build dir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
dir="${BENCH_DIR:-/tmp/lorastudio-bench-gpt2}"
[ -f "$dir/model.safetensors" ] || "$build/bench/bench_load" --make "$dir"
"$build/bench/bench_load" "$dir"
/usr/bin/python3 "$here/load_reference.py" "$dir"
