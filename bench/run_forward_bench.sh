#!/usr/bin/env bash
# Forward tokens/s of a random GPT-2-shaped model (124M parameters): our C++ LibTorch modules vs
# the same forward in plain Python PyTorch, same shapes and the same thread count for ATen, OpenMP
# and OpenBLAS in both, run back to back. The C++ figure is given with and without the malloc
# tuning bench_forward.cpp explains.
# Usage: [THREADS=1] [BATCH=1] [SEQ=256] [REPEATS=5] bench/run_forward_bench.sh [build dir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
exe="$build/bench/bench_forward"
if [[ ! -x "$exe" ]]; then
  echo "build it first: cmake -S . -B build -DLORASTUDIO_BUILD_BENCH=ON && cmake --build build --target bench_forward" >&2
  exit 1
fi
threads="${THREADS:-1}"
args=(--threads "$threads" --batch "${BATCH:-1}" --seq "${SEQ:-256}" --repeats "${REPEATS:-5}")
export OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads"
"$exe" "${args[@]}"
"$exe" "${args[@]}" --malloc-tuning 0
/usr/bin/python3 "$here/forward_reference.py" "${args[@]}"
