#!/bin/sh
# Builds tests/win32/os_layer_smoke.cpp for Windows with MinGW-w64 and runs it under Wine, in a scratch
# folder. Needs g++-mingw-w64-x86-64-posix and wine64 (Debian). Usage: tests/win32/run_under_wine.sh
# from the repository root; exit status 0 when every check passed.
set -eu
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/run"
x86_64-w64-mingw32-g++-posix -std=c++17 -Wall -Wextra -Werror -O1 -I"$root/core" \
  "$root/tests/win32/os_layer_smoke.cpp" "$root/core/common/os_file.cpp" "$root/core/common/os_process.cpp" \
  "$root/core/common/atomic_file.cpp" -static -lpsapi -o "$work/os_layer_smoke.exe"
cd "$work/run"
WINEPREFIX="$work/prefix" WINEDEBUG=-all "${WINE:-/usr/lib/wine/wine64}" "$work/os_layer_smoke.exe"
