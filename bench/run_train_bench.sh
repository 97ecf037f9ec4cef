#!/usr/bin/env bash
# LoRA training step throughput: our Trainer loop (C++ LibTorch) vs the same step in plain Python
# PyTorch (train_step_reference.py), same model shape, batch, sequence length, rank and thread count
# for ATen, OpenMP and OpenBLAS, run back to back. Prints tokens/s and peak RSS side by side.
# Usage: [THREADS=2] [BATCH=4] [SEQ=128] [STEPS=10] [LAYERS=6] [HIDDEN=512] [RANK=8] bench/run_train_bench.sh [build dir]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
exe="$build/bench/bench_train_step"
if [[ ! -x "$exe" ]]; then
  echo "build it first: cmake -S . -B build -DLORASTUDIO_BUILD_BENCH=ON && cmake --build build --target bench_train_step" >&2
  exit 1
fi
threads="${THREADS:-2}"
args=(--threads "$threads" --batch "${BATCH:-4}" --seq "${SEQ:-128}" --steps "${STEPS:-10}"
      --layers "${LAYERS:-6}" --hidden "${HIDDEN:-512}" --heads "${HEADS:-8}" --vocab "${VOCAB:-8192}" --r "${RANK:-8}")
export OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads"
"$exe" "${args[@]}"
/usr/bin/python3 "$here/train_step_reference.py" "${args[@]}"
