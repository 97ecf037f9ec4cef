#!/usr/bin/env bash
# Compiles the files with CUDA-only branches (LORASTUDIO_HAVE_C10_CUDA, LORASTUDIO_HAVE_NCCL) with
# -fsyntax-only against a CPU LibTorch's c10/cuda and c10d headers, Debian's CUDA toolkit headers and
# NCCL's nccl.h: the CUDA and NCCL code paths at least compile against this LibTorch's API, without a
# GPU or a CUDA build. Nothing is linked or run.
#   bench/gpu/cuda_syntax_check.sh BUILD_DIR   (a configured build: its compile_commands.json)
# The headers come from Debian 12's non-free nvidia-cuda-dev (774 MB download, headers kept in
# CUDA_HEADERS, default /var/tmp/lorastudio-cuda-headers), nccl.h from Debian 13's contrib
# libnccl-dev (Debian 12 has none; 114 MB download). Needs network for the first run.
set -euo pipefail
build="$(cd "$1" && pwd)"
headers="${CUDA_HEADERS:-/var/tmp/lorastudio-cuda-headers}"
# unpack SUITE PACKAGE PATTERN: the package's files matching PATTERN from Debian's SUITE (contrib, non-free)
# into $headers (apt's lists in a temporary folder; the system's sources are not touched).
unpack() {
  local tmp; tmp="$(mktemp -d)"
  mkdir -p "$tmp/lists/partial" "$headers"
  echo "deb http://deb.debian.org/debian $1 contrib non-free" > "$tmp/sources.list"
  local o=(-o Dir::Etc::SourceList="$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$tmp/lists")
  apt-get "${o[@]}" update -qq
  (cd "$tmp" && apt-get "${o[@]}" download "$2" > /dev/null 2>&1)
  dpkg-deb --fsys-tarfile "$tmp/$2"_*.deb | tar -x -C "$headers" --wildcards "$3"
  rm -rf "$tmp"
}
[ -f "$headers/usr/include/cuda_runtime_api.h" ] || unpack bookworm nvidia-cuda-dev './usr/include/*'
[ -f "$headers/usr/include/nccl.h" ] || unpack trixie libnccl-dev ./usr/include/nccl.h
# A CPU LibTorch lacks the generated c10/cuda/impl/cuda_cmake_macros.h: an equivalent stub.
mkdir -p "$headers/stub/c10/cuda/impl"
echo '#define C10_CUDA_BUILD_SHARED_LIBS' > "$headers/stub/c10/cuda/impl/cuda_cmake_macros.h"
python3 - "$build/compile_commands.json" "$headers" <<'PY'
import json, shlex, subprocess, sys
commands, headers = json.load(open(sys.argv[1])), sys.argv[2]
files = [e for e in commands if any(e['file'].endswith(f) for f in
         ('core/train/train_device.cpp', 'core/runtime/runtime_info.cpp', 'core/dist/collective.cpp'))]
bad = 0
for e in files:
    args = [a for a in shlex.split(e['command']) if not a.endswith('ccache')]
    i = args.index('-o'); del args[i:i + 2]
    args += ['-fsyntax-only', '-DLORASTUDIO_HAVE_C10_CUDA=1', '-isystem', headers + '/stub', '-isystem', headers + '/usr/include']
    if e['file'].endswith('core/dist/collective.cpp'):
        args += ['-DLORASTUDIO_HAVE_NCCL=1', '-DUSE_C10D_NCCL']
    r = subprocess.run(args, cwd=e['directory'], capture_output=True, text=True)
    print(('ok     ' if r.returncode == 0 else 'FAILED ') + e['file'])
    if r.returncode: print(r.stderr[-4000:]); bad += 1
print(f"{len(files) - bad}/{len(files)} CUDA/NCCL-branch files compile")
sys.exit(1 if bad or not files else 0)
PY
# The same NCCL branch against LibTorch 2.6 (GCC 14), in scripts/test_debian13.sh's build root when
# it exists (c10d's process groups derive from Backend there, from ProcessGroup in 1.13).
d13="${DEBIAN13_ROOTS:-/var/tmp/lorastudio-debian13}/build-root"
if [ -d "$d13/usr/include/torch/csrc/distributed/c10d" ] && [ "$(id -u)" -eq 0 ]; then
  src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../core" && pwd)"
  mnt="$d13/tmp/lorastudio-nccl-check"
  mkdir -p "$mnt/src" "$mnt/cuda"
  mount --bind "$src" "$mnt/src"; mount --bind "$headers" "$mnt/cuda"
  trap 'umount "$mnt/src" "$mnt/cuda" 2> /dev/null || true' EXIT
  chroot "$d13" bash -c 'cd /tmp/lorastudio-nccl-check && g++ -std=c++17 -fsyntax-only -DLORASTUDIO_HAVE_GLOO=1 \
    -DUSE_C10D_GLOO -DLORASTUDIO_HAVE_C10_CUDA=1 -DLORASTUDIO_HAVE_NCCL=1 -DUSE_C10D_NCCL -Isrc \
    -isystem /usr/include/torch/csrc/api/include -isystem cuda/stub -isystem cuda/usr/include \
    src/dist/collective.cpp src/dist/gradient_sync.cpp' \
    && echo "ok     core/dist (NCCL branch) against Debian 13's LibTorch 2.6" \
    || { echo "FAILED core/dist (NCCL branch) against Debian 13's LibTorch 2.6"; exit 1; }
fi
