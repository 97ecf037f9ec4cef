#!/usr/bin/env bash
# Builds the Linux packages in their own build folder (Release, no tests or bench):
#   BUILD/packages/lorastudio_<version>_<arch>.deb            (CPack DEB; Depends from dpkg-shlibdeps)
#   BUILD/packages/lorastudio-<version>-linux-<arch>.tar.gz   (self-contained: packaging/make_bundle.sh)
# BUILD is PACKAGE_BUILD_DIR or ./build-package. ccache is shared with ./build (CCACHE_BASEDIR), so
# after `scripts/dev.sh build` this mostly links. Needs dpkg-dev (dpkg-shlibdeps) and patchelf.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PACKAGE_BUILD_DIR:-$here/build-package}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$here}"
t0=$(date +%s)
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DLORASTUDIO_BUILD_TESTS=OFF -DLORASTUDIO_BUILD_BENCH=OFF > /dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB) > "$build/cpack.log" 2>&1 || { cat "$build/cpack.log"; exit 1; }
deb="$(ls "$build"/packages/lorastudio_*.deb)"
echo "deb: $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb -f "$deb" Package Version Depends Recommends | sed 's/^/  /'
bash "$here/packaging/make_bundle.sh" "$build"
echo "packages built in $(( $(date +%s) - t0 )) s"
