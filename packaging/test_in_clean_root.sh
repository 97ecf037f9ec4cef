#!/usr/bin/env bash
# Proves the Linux packages work on a machine that has none of the build's packages: a minimal
# Debian 12 root (debootstrap --variant=minbase, cached in BUILD_DIR/clean-root/base and copied
# fresh for each check). 1) apt-get installs the .deb there (its Depends pull Qt, LibTorch, ...);
# 2) a second fresh copy gets only the unpacked tarball. Each runs, from the installed files:
# `lorastudio-cli --version`, a 3-step CLI training run of the installed demo, and the studio's
# offscreen smoke test. Needs root, debootstrap and network access to a Debian mirror.
# Usage: test_in_clean_root.sh BUILD_DIR   (after packaging/build_packages.sh)
set -euo pipefail
build="$(cd "$1" && pwd)"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
cache="$build/clean-root"
version="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")"
deb="$(ls "$build"/packages/lorastudio_"$version"_*.deb)"
tarball="$(ls "$build"/packages/lorastudio-"$version"-linux-*.tar.gz)"
[ "$(id -u)" -eq 0 ] || { echo "test_in_clean_root.sh needs root (debootstrap, chroot, mount)" >&2; exit 1; }
t0=$(date +%s)
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

mounts=()
cleanup() {
  local i
  for (( i=${#mounts[@]}-1; i>=0; i-- )); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
  mounts=()
}
# Anything still mounted under a root (a run killed before its trap) is unmounted before the root
# is deleted, so rm never reaches the host's /dev through a bind mount.
remove_root() {
  local m
  for m in $(awk -v r="$1" 'index($2, r "/") == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m"; done
  rm -rf --one-file-system "$1"
}
trap cleanup EXIT

# The cached base root: made once (about 90 s), then reused.
if [ ! -x "$cache/base/usr/bin/apt-get" ]; then
  t=$(date +%s)
  rm -rf "$cache/base.tmp"
  mkdir -p "$cache"
  debootstrap --variant=minbase bookworm "$cache/base.tmp" "$mirror" > "$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log"; exit 1; }
  mv "$cache/base.tmp" "$cache/base"
  echo "== debootstrap bookworm minbase: $(elapsed "$t")"
fi

# fresh_root NAME: sets r to a new copy of the base with /proc, /dev and the host's DNS; APT's downloads are
# kept in the cache between runs.
fresh_root() {
  r="$cache/$1"
  remove_root "$r"
  cp -a "$cache/base" "$r"
  cp -L /etc/resolv.conf "$r/etc/resolv.conf"
  mkdir -p "$cache/apt-archives/partial"
  mount -t proc proc "$r/proc"; mounts+=("$r/proc")
  mount --bind /dev "$r/dev"; mounts+=("$r/dev")
  mount --bind "$cache/apt-archives" "$r/var/cache/apt/archives"; mounts+=("$r/var/cache/apt/archives")
}
# in_root ROOT CMD...: run in the chroot with a clean environment (no host PATH or Qt variables).
in_root() {
  local r="$1"; shift
  chroot "$r" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
fail() { echo "FAIL: $*" >&2; exit 1; }
# three_checks ROOT CLI STUDIO DEMO_YAML: the same checks for the .deb and the bundle.
three_checks() {
  local r="$1" cli="$2" studio="$3" demo="$4" out
  out=$(in_root "$r" "$cli" --version) || fail "$cli --version"
  echo "$out"
  grep -qx "lorastudio-cli $version" <<<"$(head -1 <<<"$out")" || fail "--version printed: $out"
  out=$(in_root "$r" "$cli" train "$demo" --output /tmp/run --max-steps 3 --plain 2>&1) || { echo "$out"; fail "CLI training"; }
  echo "$out" | tail -2
  grep -qF "completed after 3/3 steps" <<<"$out" || fail "training did not complete: $out"
  in_root "$r" test -f /tmp/run/adapter/adapter_model.safetensors || fail "no adapter written"
  out=$(in_root "$r" /usr/bin/env QT_QPA_PLATFORM=offscreen "$studio" --smoke-test "$demo" 2>&1) || { echo "$out"; fail "studio smoke test"; }
  echo "$out" | grep '^smoke test'
  grep -qF "smoke test: passed" <<<"$out" || fail "smoke test: $out"
}

echo "== 1/2: the .deb ($(basename "$deb")) in a clean Debian 12 root"
fresh_root deb-root
cat > "$r/etc/apt/sources.list" <<SRC
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SRC
cp "$deb" "$r/tmp/"
t=$(date +%s)
in_root "$r" apt-get update -qq
in_root "$r" apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$deb")" > "$cache/apt-install.log" 2>&1 ||
  { tail -30 "$cache/apt-install.log"; fail "apt-get install of the .deb"; }
echo "== apt-get update + install of the .deb and its dependencies: $(elapsed "$t")"
in_root "$r" dpkg -s lorastudio | grep -E '^(Version|Depends):'
in_root "$r" dpkg -L lorastudio | grep -E 'bin/|\.desktop|mime/packages|scalable' 
three_checks "$r" /usr/bin/lorastudio-cli /usr/bin/lorastudio /usr/share/lorastudio/demo/demo.yaml
# Desktop integration: with the desktop's databases present (a desktop has them), *.lorastudio.yaml
# is our MIME type and that type opens with lorastudio.desktop.
in_root "$r" apt-get install -y -qq --no-install-recommends shared-mime-info desktop-file-utils > /dev/null 2>&1 ||
  fail "installing shared-mime-info"
in_root "$r" grep -q 'application/x-lorastudio-project:\*\.lorastudio\.yaml' /usr/share/mime/globs2 ||
  fail "the MIME database has no *.lorastudio.yaml"
in_root "$r" grep -q '^application/x-lorastudio-project=lorastudio.desktop' /usr/share/applications/mimeinfo.cache ||
  fail "lorastudio.desktop is not registered for application/x-lorastudio-project"
echo "desktop integration: *.lorastudio.yaml -> application/x-lorastudio-project -> lorastudio.desktop"
cleanup

echo "== 2/2: the bundle ($(basename "$tarball")) in a clean root without the packages"
fresh_root bundle-root
tar -C "$r/opt" -xzf "$tarball"
b="/opt/$(basename "$tarball" .tar.gz)"
for lib in libQt6Core.so.6 libtorch_cpu.so.1.13 libyaml-cpp.so.0.7; do
  ! ls "$r"/usr/lib/*/"$lib" > /dev/null 2>&1 || fail "$lib is installed in the clean root: not a fair test"
done
three_checks "$r" "$b/lorastudio-cli" "$b/lorastudio" "$b/share/lorastudio/demo/demo.yaml"
cleanup
remove_root "$cache/deb-root"; remove_root "$cache/bundle-root"
echo "== clean-root packaging test passed in $(elapsed "$t0")"
