#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine:
#   scripts/dev.sh demo   install what is missing, build, run the demo
#   scripts/dev.sh test   install what is missing, build, run every test (CTest)
#   scripts/dev.sh build  install what is missing, build
# Packages are installed with apt-get only when some are missing. BUILD_DIR overrides ./build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
build_dir="${BUILD_DIR:-$here/build}"
jobs="$(nproc 2>/dev/null || echo 2)"

packages=(build-essential cmake ninja-build pkg-config ccache
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqcustomplot-dev
  libyaml-cpp-dev libtorch-dev libgloo-dev libopenblas0-pthread nlohmann-json3-dev
  libcli11-dev libpcre2-dev libutf8proc-dev
  xvfb xauth imagemagick python3-torch python3-numpy)

install_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "== all ${#packages[@]} Debian packages already installed"
    return
  fi
  echo "== installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
}

build() {
  install_packages
  cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release
  cmake --build "$build_dir" -j "$jobs"
}

case "${1:-}" in
  build) build ;;
  test)
    build
    cd "$build_dir"
    ctest --output-on-failure -j "$jobs"
    ;;
  demo)
    build
    shift || true
    exec "$here/scripts/demo.sh" "$build_dir" "$@"
    ;;
  *)
    echo "usage: scripts/dev.sh demo|test|build" >&2
    exit 2
    ;;
esac
