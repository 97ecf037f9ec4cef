#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine:
#   scripts/dev.sh demo   install what is missing, build, run the demo
#   scripts/dev.sh test     install what is missing, build, run every test (CTest), fuzz every parser
#                           briefly (tests/fuzz/run_fuzzers.sh, LORASTUDIO_FUZZ_SECONDS per harness,
#                           default 20; skip with LORASTUDIO_SKIP_FUZZ=1), then build the
#                           Linux packages and test them in a clean Debian 12 root (skip that part
#                           with LORASTUDIO_SKIP_PACKAGING=1), then build and test everything again in
#                           a clean Debian 13 root and test its .deb (scripts/test_debian13.sh; skip
#                           with LORASTUDIO_SKIP_DEBIAN13=1). Prints the time of each part.
#   scripts/dev.sh build    install what is missing, build
#   scripts/dev.sh package  install what is missing, build the .deb and the self-contained tarball
#                           into build-package/packages (packaging/build_packages.sh)
# Packages are installed with apt-get only when some are missing. BUILD_DIR overrides ./build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
build_dir="${BUILD_DIR:-$here/build}"
jobs="$(nproc 2>/dev/null || echo 2)"
# ccache hits across build folders (./build and packaging's ./build-package share objects).
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$here}"

packages=(build-essential cmake ninja-build pkg-config ccache
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqcustomplot-dev
  libyaml-cpp-dev libtorch-dev libgloo-dev libopenblas0-pthread nlohmann-json3-dev
  libcli11-dev libpcre2-dev libutf8proc-dev libmimalloc-dev doctest-dev
  xvfb xauth imagemagick python3-torch python3-numpy
  dpkg-dev patchelf debootstrap golang-go slurm-wlm munge clang-14 libclang-rt-14-dev)

install_packages() {
  local missing=()
  # Node.js runs the real llama.cpp of the GGUF checks (tests/llama_cpp); a system with a node of
  # its own (e.g. NodeSource's, which bundles npm) keeps it.
  command -v node >/dev/null || packages+=(nodejs npm)
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
    t0=$(date +%s); t=$t0
    times=()
    lap() { times+=("$1: $(( $(date +%s) - t )) s"); t=$(date +%s); }
    build; lap "Debian 12 install + build"
    (cd "$build_dir" && ctest --output-on-failure -j "$jobs"); lap "Debian 12 CTest"
    if [ "${LORASTUDIO_SKIP_FUZZ:-0}" != 1 ]; then
      bash "$here/tests/fuzz/run_fuzzers.sh" "${LORASTUDIO_FUZZ_SECONDS:-20}"; lap "fuzzing (8 libFuzzer harnesses, clang-14 build + run)"
    fi
    # debootstrap, chroot and mount need root, as apt-get does.
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    if [ "${LORASTUDIO_SKIP_PACKAGING:-0}" != 1 ]; then
      bash "$here/packaging/build_packages.sh"
      $sudo bash "$here/packaging/test_in_clean_root.sh" "${PACKAGE_BUILD_DIR:-$here/build-package}"
      lap "Debian 12 packages + clean-root test"
    fi
    if [ "${LORASTUDIO_SKIP_DEBIAN13:-0}" != 1 ]; then
      $sudo bash "$here/scripts/test_debian13.sh"
      lap "Debian 13 root, build, CTest, .deb + clean-root test"
    fi
    echo "== test command passed in $(( $(date +%s) - t0 )) s"
    printf '   %s\n' "${times[@]}"
    ;;
  package)
    install_packages
    bash "$here/packaging/build_packages.sh"
    ;;
  demo)
    build
    shift || true
    exec "$here/scripts/demo.sh" "$build_dir" "$@"
    ;;
  *)
    echo "usage: scripts/dev.sh demo|test|build|package" >&2
    exit 2
    ;;
esac
