#!/usr/bin/env bash
# The Debian 13 half of the README's test command (scripts/dev.sh test runs it after Debian 12's):
#   1. a clean Debian 13 (trixie) root by debootstrap, with the build's packages from Debian 13
#      (LibTorch 2.6, Qt 6.8, GCC 14, yaml-cpp 0.8);
#   2. inside it: configure, build (studio included, bench left to Debian 12) and all of CTest, with
#      this checkout and ../shared bind-mounted at their own paths;
#   3. the Debian 13 .deb (CPack from the same build; Depends by dpkg-shlibdeps from Debian 13),
#      installed by apt-get in a second clean Debian 13 root, where the three checks of the packaging
#      test run (packaging/clean_root_tools.sh).
# The build tree, ccache and logs live in DEBIAN13_BUILD_DIR (default ./build-debian13, inside the
# checkout, which is what the root sees); the roots in DEBIAN13_ROOTS (default
# /var/tmp/lorastudio-debian13), outside the checkout, since the checkout is mounted into them.
# CI starts with none of it; a second local run reuses the roots and ccache.
# Needs root (debootstrap, chroot, mount) and a Debian mirror. Prints the time of each part.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${DEBIAN13_BUILD_DIR:-$here/build-debian13}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
case "$work/" in "$here"/*) ;; *) echo "DEBIAN13_BUILD_DIR must lie inside the checkout ($here)" >&2; exit 2 ;; esac
cache="${DEBIAN13_ROOTS:-/var/tmp/lorastudio-debian13}"
case "$cache/" in "$here"/*) echo "DEBIAN13_ROOTS must lie outside the checkout" >&2; exit 2 ;; esac
suite=trixie
# shellcheck source=../packaging/clean_root_tools.sh
source "$here/packaging/clean_root_tools.sh"
[ "$(id -u)" -eq 0 ] || { echo "test_debian13.sh needs root (debootstrap, chroot, mount)" >&2; exit 1; }
jobs="$(nproc 2>/dev/null || echo 2)"
t0=$(date +%s)
trap unmount_all EXIT

build_packages=(build-essential cmake ninja-build pkg-config ccache dpkg-dev file python3
  libtorch-dev libopenblas0-pthread libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libpcre2-dev
  libutf8proc-dev doctest-dev qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqcustomplot-dev libgloo-dev nodejs golang-go)

echo "== Debian 13: root, build, CTest, .deb (in $work)"
make_base_root

# The build root: the base plus the build's packages; kept while the package list is the same.
t=$(date +%s)
r="$cache/build-root"
stamp="${build_packages[*]}"
if [ "$(cat "$r/.lorastudio-packages" 2>/dev/null)" != "$stamp" ]; then
  fresh_root build-root
  apt_install "$r" "$cache/apt-build.log" "${build_packages[@]}"
  echo "$stamp" > "$r/.lorastudio-packages"
else
  mount_root "$r"
fi
echo "== build root with ${#build_packages[@]} packages (and their dependencies): $(elapsed "$t")"
in_root "$r" sh -c 'echo "   $(dpkg-query -W -f="libtorch-dev \${Version}, " libtorch-dev)$(dpkg-query -W -f="qt6-base-dev \${Version}, " qt6-base-dev)$(gcc --version | head -1)"'

shared="$(cd "$here/.." && pwd)/shared"
bind_into "$r" "$here"
[ -d "$shared" ] && bind_into "$r" "$shared"
tree="$work/tree"
mkdir -p "$work/ccache"
in_build_root() {
  in_root "$r" /usr/bin/env CCACHE_DIR="$work/ccache" CCACHE_BASEDIR="$here" QT_QPA_PLATFORM=offscreen "$@"
}

t=$(date +%s)
in_build_root cmake -S "$here" -B "$tree" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLORASTUDIO_BUILD_BENCH=OFF \
  > "$work/configure.log" 2>&1 || { tail -40 "$work/configure.log"; fail "configure in Debian 13"; }
in_build_root cmake --build "$tree" -j "$jobs" > "$work/build.log" 2>&1 ||
  { grep -E -B2 -A12 "error|FAILED" "$work/build.log" | head -80; fail "build in Debian 13"; }
echo "== configure + build (LibTorch 2.6, Qt 6.8, GCC 14): $(elapsed "$t")"

t=$(date +%s)
in_build_root sh -c "cd '$tree' && ctest --output-on-failure -j $jobs" 2>&1 | tee "$work/ctest.log" | tail -45
grep -q "100% tests passed" "$work/ctest.log" || fail "CTest in Debian 13"
echo "== CTest in Debian 13: $(elapsed "$t")"

t=$(date +%s)
rm -rf "$tree/packages"
in_build_root sh -c "cd '$tree' && cpack -G DEB" > "$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack in Debian 13"; }
version="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$tree/CMakeCache.txt")"
deb="$(ls "$tree"/packages/lorastudio_"$version"_debian13_*.deb)"
echo "deb: $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb -f "$deb" Package Version Depends | sed 's/^/  /'
echo "== cpack: $(elapsed "$t")"
unmount_all

echo "== the Debian 13 .deb in a clean Debian 13 root"
fresh_root deb-root
deb_checks "$r" "$deb" "$version"
unmount_all
remove_root "$cache/deb-root"
echo "== Debian 13 part passed in $(elapsed "$t0")"
