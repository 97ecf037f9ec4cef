# Shell functions for Debian roots made with debootstrap, shared by packaging/test_in_clean_root.sh
# (Debian 12) and scripts/test_debian13.sh (Debian 13). Source it, then set:
#   cache   folder that holds the roots (cache/base is debootstrap's root, reused between runs)
#   suite   bookworm | trixie
#   mirror  a Debian mirror (DEBIAN_MIRROR, default deb.debian.org)
# Needs root, debootstrap and network access to the mirror.
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
mounts=()

elapsed() { echo "$(( $(date +%s) - $1 )) s"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

unmount_all() {
  local i
  for (( i=${#mounts[@]}-1; i>=0; i-- )); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
  mounts=()
}

# Anything still mounted under a root (a run killed before its trap) is unmounted before the root
# is deleted, so rm never reaches the host's /dev or the source tree through a bind mount.
remove_root() {
  local m
  for m in $(awk -v r="$1" 'index($2, r "/") == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m"; done
  rm -rf --one-file-system "$1"
}

# The cached base root: debootstrap minbase of $suite, made once (30-90 s), then copied.
make_base_root() {
  [ -x "$cache/base/usr/bin/apt-get" ] && return
  local t; t=$(date +%s)
  rm -rf "$cache/base.tmp"
  mkdir -p "$cache"
  debootstrap --variant=minbase "$suite" "$cache/base.tmp" "$mirror" > "$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log"; exit 1; }
  cat > "$cache/base.tmp/etc/apt/sources.list" <<SRC
deb $mirror $suite main
deb $mirror $suite-updates main
deb http://deb.debian.org/debian-security $suite-security main
SRC
  mv "$cache/base.tmp" "$cache/base"
  echo "== debootstrap $suite minbase: $(elapsed "$t")"
}

# bind_into ROOT HOST_PATH: HOST_PATH appears at the same path inside ROOT.
bind_into() {
  mkdir -p "$1$2"
  mount --bind "$2" "$1$2"; mounts+=("$1$2")
}

# mount_root ROOT: /proc, /dev, the host's DNS, and APT's downloads kept in the cache between runs.
mount_root() {
  local r="$1"
  cp -L /etc/resolv.conf "$r/etc/resolv.conf"
  mkdir -p "$cache/apt-archives/partial"
  mount -t proc proc "$r/proc"; mounts+=("$r/proc")
  mount --bind /dev "$r/dev"; mounts+=("$r/dev")
  mount --bind "$cache/apt-archives" "$r/var/cache/apt/archives"; mounts+=("$r/var/cache/apt/archives")
}

# fresh_root NAME: sets r to a new copy of the base root, mounted.
fresh_root() {
  r="$cache/$1"
  remove_root "$r"
  cp -a "$cache/base" "$r"
  mount_root "$r"
}

# in_root ROOT CMD...: run in the chroot with a clean environment (no host PATH or Qt variables).
in_root() {
  local r="$1"; shift
  chroot "$r" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# apt_install ROOT LOG PACKAGE...: apt-get update + install without recommends; the log's tail on failure.
apt_install() {
  local r="$1" log="$2"; shift 2
  in_root "$r" apt-get update -qq > "$log" 2>&1 || { tail -30 "$log"; fail "apt-get update in $r"; }
  in_root "$r" apt-get install -y -qq --no-install-recommends "$@" >> "$log" 2>&1 ||
    { tail -30 "$log"; fail "apt-get install in $r"; }
}

# three_checks ROOT CLI STUDIO DEMO_YAML VERSION: what every installed package must do.
three_checks() {
  local r="$1" cli="$2" studio="$3" demo="$4" version="$5" out
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

# deb_checks ROOT DEB VERSION: apt-get installs the .deb in ROOT (its Depends pull Qt, LibTorch, ...),
# then the three checks and the desktop integration run from the installed files.
deb_checks() {
  local r="$1" deb="$2" version="$3" t
  cp "$deb" "$r/tmp/"
  t=$(date +%s)
  apt_install "$r" "$cache/apt-install.log" "/tmp/$(basename "$deb")"
  echo "== apt-get update + install of the .deb and its dependencies: $(elapsed "$t")"
  in_root "$r" dpkg -s lorastudio | grep -E '^(Version|Depends):'
  in_root "$r" dpkg -L lorastudio | grep -E 'bin/|\.desktop|mime/packages|scalable'
  three_checks "$r" /usr/bin/lorastudio-cli /usr/bin/lorastudio /usr/share/lorastudio/demo/demo.yaml "$version"
  # With the desktop's databases present (a desktop has them), *.lorastudio.yaml is our MIME type
  # and that type opens with lorastudio.desktop.
  in_root "$r" apt-get install -y -qq --no-install-recommends shared-mime-info desktop-file-utils > /dev/null 2>&1 ||
    fail "installing shared-mime-info"
  in_root "$r" grep -q 'application/x-lorastudio-project:\*\.lorastudio\.yaml' /usr/share/mime/globs2 ||
    fail "the MIME database has no *.lorastudio.yaml"
  in_root "$r" grep -q '^application/x-lorastudio-project=lorastudio.desktop' /usr/share/applications/mimeinfo.cache ||
    fail "lorastudio.desktop is not registered for application/x-lorastudio-project"
  echo "desktop integration: *.lorastudio.yaml -> application/x-lorastudio-project -> lorastudio.desktop"
}
