#!/usr/bin/env bash
# Run here (a Debian 12 machine with network), before a GPU check: fills .device-inputs/ (git-ignored)
# with what bench/gpu/device_check.sh needs on a machine that has no network and no Debian packages:
#   deps/     the C++ dependencies besides LibTorch, as Debian 12 ships them, unpacked (dpkg -x):
#             yaml-cpp, nlohmann-json, CLI11, PCRE2, utf8proc, doctest (headers, CMake configs, .so)
#   shared/   ../shared/fixtures (the parity references) and ../shared/peer (the PEFT reference)
# Then: device run with carry [".device-inputs"] and the command `bash bench/gpu/device_check.sh`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="${LORASTUDIO_SHARED:-$root/../shared}"
out="$root/.device-inputs"
rm -rf "$out"
mkdir -p "$out/debs" "$out/deps" "$out/shared"
packages=(libyaml-cpp-dev libyaml-cpp0.7 nlohmann-json3-dev libcli11-dev libpcre2-dev libpcre2-8-0
  libpcre2-16-0 libpcre2-32-0 libpcre2-posix3 libutf8proc-dev libutf8proc2 doctest-dev)
(cd "$out/debs" && apt-get download "${packages[@]}" > /dev/null)
for deb in "$out"/debs/*.deb; do dpkg -x "$deb" "$out/deps"; done
rm -rf "$out/debs" "$out/deps/usr/share/doc" "$out/deps/usr/share/man"
cp -r "$shared/fixtures" "$out/shared/fixtures"
cp -r "$shared/peer" "$out/shared/peer"
rm -rf "$out/shared/peer/__pycache__"
du -sh "$out" "$out"/deps "$out"/shared/*
