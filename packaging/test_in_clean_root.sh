#!/usr/bin/env bash
# Proves the Linux packages work on a machine that has none of the build's packages: a minimal
# Debian 12 root (debootstrap --variant=minbase, cached in BUILD_DIR/clean-root/base and copied
# fresh for each check). 1) apt-get installs the .deb there (its Depends pull Qt, LibTorch, ...);
# 2) a second fresh copy gets only the unpacked tarball. Each runs, from the installed files:
# `lorastudio-cli --version`, a 3-step CLI training run of the installed demo, and the studio's
# offscreen smoke test (packaging/clean_root_tools.sh: three_checks). Debian 13's package is tested
# the same way by scripts/test_debian13.sh. Needs root, debootstrap and network access to a mirror.
# Usage: test_in_clean_root.sh BUILD_DIR   (after packaging/build_packages.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "$1" && pwd)"
cache="$build/clean-root"
suite=bookworm
# shellcheck source=clean_root_tools.sh
source "$here/clean_root_tools.sh"
version="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")"
deb="$(ls "$build"/packages/lorastudio_"$version"_*.deb)"
tarball="$(ls "$build"/packages/lorastudio-"$version"-linux-*.tar.gz)"
[ "$(id -u)" -eq 0 ] || { echo "test_in_clean_root.sh needs root (debootstrap, chroot, mount)" >&2; exit 1; }
t0=$(date +%s)
trap unmount_all EXIT
make_base_root

echo "== 1/2: the .deb ($(basename "$deb")) in a clean Debian 12 root"
fresh_root deb-root
deb_checks "$r" "$deb" "$version"
unmount_all

echo "== 2/2: the bundle ($(basename "$tarball")) in a clean root without the packages"
fresh_root bundle-root
tar -C "$r/opt" -xzf "$tarball"
b="/opt/$(basename "$tarball" .tar.gz)"
for lib in libQt6Core.so.6 libtorch_cpu.so.1.13 libyaml-cpp.so.0.7; do
  ! ls "$r"/usr/lib/*/"$lib" > /dev/null 2>&1 || fail "$lib is installed in the clean root: not a fair test"
done
three_checks "$r" "$b/lorastudio-cli" "$b/lorastudio" "$b/share/lorastudio/demo/demo.yaml" "$version"
unmount_all
remove_root "$cache/deb-root"; remove_root "$cache/bundle-root"
echo "== clean-root packaging test passed in $(elapsed "$t0")"
