#!/usr/bin/env bash
# One unattended check on a GPU machine: one NVIDIA H100/H200, PyTorch 2.x with CUDA, transformers
# and peft installed, no Qt, no network. Needs .device-inputs/ (bench/gpu/prepare_inputs.sh, carried
# along). In about 8 minutes of wall time it
#   (a) builds core + CLI + the device test against that PyTorch's LibTorch (-DLORASTUDIO_WITH_QT=OFF,
#       CMAKE_PREFIX_PATH from torch.utils.cmake_prefix_path), with all cores;
#   (b) runs tests/device/test_device_paths on cuda: fp32 with TF32 off at the fixtures' tolerances,
#       bf16 within 5% of the largest fp32 logit (mean under 1%), training, resume, fp16 loss scaling, out of memory;
#   (c) runs the speed bench (bench/peer/run_peer_bench.sh) with bf16 + SDPA on SmolLM2-135M and
#       Llama-3.2-1B shapes, ours then transformers + PEFT: tokens/s, peak allocated/reserved
#       memory, the estimate, MFU;
#   (d) writes everything to one log: $LOG, default $OUT/device_check.log (else ./device_check.log).
# Each part runs even when an earlier one failed (the log says which failed); the exit status is
# the number of failed parts. DEVICE=cpu runs the same parts on the CPU against whatever LibTorch
# python3's torch (or the system) provides: what a machine without a GPU can check.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
inputs="$root/.device-inputs"
device="${DEVICE:-cuda}"
log="${LOG:-${OUT:-$root}/device_check.log}"
build="${BUILD_DIR:-/tmp/lorastudio-device-build}"
jobs="$(nproc)"
failed=0
exec > >(tee "$log") 2>&1
t0=$(date +%s)
part() { echo; echo "=== $* ($(( $(date +%s) - t0 )) s)"; }
fail() { echo "!!! FAILED: $*"; failed=$((failed + 1)); }

part "machine"
date -u; uname -a; nproc; free -g | head -2
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>/dev/null || echo "no nvidia-smi"
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "gpus", torch.cuda.device_count())' || true
python3 -c 'import transformers, peft; print("transformers", transformers.__version__, "peft", peft.__version__)' || echo "no transformers/peft"
c++ --version | head -1; cmake --version | head -1; ninja --version 2>/dev/null || echo "no ninja"

part "(a) build core + CLI + test_device_paths, -DLORASTUDIO_WITH_QT=OFF, $jobs jobs"
torch_prefix="$(python3 -c 'import torch, os; p = torch.utils.cmake_prefix_path; print(p if os.path.isdir(p) else "")' 2>/dev/null)"
prefix="$torch_prefix"
[ -d "$inputs/deps/usr" ] && prefix="$prefix${prefix:+;}$inputs/deps/usr"
echo "CMAKE_PREFIX_PATH=$prefix"
generator=(); command -v ninja > /dev/null && generator=(-G Ninja)
fixtures="$root/../shared/fixtures"; [ -d "$inputs/shared/fixtures" ] && fixtures="$inputs/shared/fixtures"
if cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DLORASTUDIO_WITH_QT=OFF \
     -DLORASTUDIO_BUILD_BENCH=OFF -DLORASTUDIO_FIXTURES_DIR="$fixtures" -DCMAKE_PREFIX_PATH="$prefix" \
   && cmake --build "$build" -j "$jobs" --target lorastudio-cli test_device_paths; then
  "$build/app/lorastudio-cli" --version
else
  fail "(a) build"
fi

part "(b) tests/device on $device"
if [ -x "$build/tests/test_device_paths" ]; then
  LORASTUDIO_TEST_DEVICE="$device" LORASTUDIO_FIXTURES="$fixtures" timeout 300 "$build/tests/test_device_paths" --success=false \
    || fail "(b) test_device_paths on $device"
else
  fail "(b) not run: no test binary"
fi

part "(c) speed bench, ours then transformers + PEFT, $device"
shared="$root/../shared"; [ -d "$inputs/shared" ] && shared="$inputs/shared"
if ! python3 -c 'import torch' 2> /dev/null && ! /usr/bin/python3 -c 'import torch' 2> /dev/null; then
  fail "(c) not run: no python3 with torch here (the bench builds its random-weight models with it)"
elif [ -x "$build/app/lorastudio-cli" ]; then
  if [ "$device" = cuda ]; then
    LORASTUDIO_SHARED="$shared" timeout 150 bash bench/peer/run_peer_bench.sh --device cuda --precision bf16 \
      --config "$shared/peer/configs/smollm2-135m" --seq 1024 --batch 8 --steps 12 --cli "$build/app/lorastudio-cli" \
      --work /tmp/lorastudio-bench || fail "(c) SmolLM2-135M"
    LORASTUDIO_SHARED="$shared" timeout 240 bash bench/peer/run_peer_bench.sh --device cuda --precision bf16 \
      --config "$root/bench/configs/llama-3.2-1b" --seq 1024 --batch 8 --steps 10 --cli "$build/app/lorastudio-cli" \
      --work /tmp/lorastudio-bench || fail "(c) Llama-3.2-1B"
  else
    LORASTUDIO_SHARED="$shared" timeout 600 bash bench/peer/run_peer_bench.sh --device cpu --precision fp32 \
      --config "$shared/peer/configs/smollm2-135m" --layers 4 --seq 128 --batch 2 --steps 4 \
      --cli "$build/app/lorastudio-cli" --work /tmp/lorastudio-bench || fail "(c) SmolLM2-135M, 4 layers, cpu"
  fi
else
  fail "(c) not run: no CLI"
fi

part "done: $failed part(s) failed"
exit "$failed"
