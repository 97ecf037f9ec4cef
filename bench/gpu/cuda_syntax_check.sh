#!/usr/bin/env bash
# Compiles the files with CUDA-only branches (LORASTUDIO_HAVE_C10_CUDA) with -fsyntax-only against
# a CPU LibTorch's c10/cuda headers and Debian's CUDA toolkit headers: the CUDA code paths at least
# compile against this LibTorch's API, without a GPU or a CUDA build. Nothing is linked or run.
#   bench/gpu/cuda_syntax_check.sh BUILD_DIR   (a configured build: its compile_commands.json)
# The headers come from Debian 12's non-free nvidia-cuda-dev (774 MB download, headers kept in
# CUDA_HEADERS, default /var/tmp/lorastudio-cuda-headers). Needs network for the first run.
set -euo pipefail
build="$(cd "$1" && pwd)"
headers="${CUDA_HEADERS:-/var/tmp/lorastudio-cuda-headers}"
if [ ! -f "$headers/usr/include/cuda_runtime_api.h" ]; then
  tmp="$(mktemp -d)"
  mkdir -p "$tmp/lists/partial"
  echo "deb http://deb.debian.org/debian bookworm non-free" > "$tmp/sources.list"
  o=(-o Dir::Etc::SourceList="$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$tmp/lists")
  apt-get "${o[@]}" update -qq
  (cd "$tmp" && apt-get "${o[@]}" download nvidia-cuda-dev > /dev/null 2>&1)
  mkdir -p "$headers"
  dpkg-deb --fsys-tarfile "$tmp"/nvidia-cuda-dev_*.deb | tar -x -C "$headers" --wildcards './usr/include/*'
  rm -rf "$tmp"
fi
# A CPU LibTorch lacks the generated c10/cuda/impl/cuda_cmake_macros.h: an equivalent stub.
mkdir -p "$headers/stub/c10/cuda/impl"
echo '#define C10_CUDA_BUILD_SHARED_LIBS' > "$headers/stub/c10/cuda/impl/cuda_cmake_macros.h"
python3 - "$build/compile_commands.json" "$headers" <<'PY'
import json, shlex, subprocess, sys
commands, headers = json.load(open(sys.argv[1])), sys.argv[2]
files = [e for e in commands if any(e['file'].endswith(f) for f in
         ('core/train/train_device.cpp', 'core/runtime/runtime_info.cpp'))]
bad = 0
for e in files:
    args = [a for a in shlex.split(e['command']) if not a.endswith('ccache')]
    i = args.index('-o'); del args[i:i + 2]
    args += ['-fsyntax-only', '-DLORASTUDIO_HAVE_C10_CUDA=1', '-isystem', headers + '/stub', '-isystem', headers + '/usr/include']
    r = subprocess.run(args, cwd=e['directory'], capture_output=True, text=True)
    print(('ok     ' if r.returncode == 0 else 'FAILED ') + e['file'])
    if r.returncode: print(r.stderr[-4000:]); bad += 1
print(f"{len(files) - bad}/{len(files)} CUDA-branch files compile")
sys.exit(1 if bad or not files else 0)
PY
