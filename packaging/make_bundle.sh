#!/usr/bin/env bash
# Self-contained Linux tarball from a configured, built tree: `cmake --install` into a folder, then
# every shared library the binaries and Qt's xcb/offscreen platform plugins need (found with ldd),
# except glibc's own, goes to lib/; RUNPATHs point there ($ORIGIN, patchelf), bin/qt.conf points
# Qt at plugins/. Runs on an x86_64 Linux with glibc >= the build machine's and none of the packages.
# Usage: make_bundle.sh BUILD_DIR   -> BUILD_DIR/packages/lorastudio-<version>-linux-<arch>.tar.gz
set -euo pipefail
build="$(cd "$1" && pwd)"
version="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")"
[ -n "$version" ] || { echo "no project version in $build/CMakeCache.txt" >&2; exit 1; }
name="lorastudio-$version-linux-$(uname -m)"
stage="$build/bundle-stage"
root="$stage/$name"
rm -rf "$stage"
mkdir -p "$root" "$build/packages"
cmake --install "$build" --prefix "$root" --strip > /dev/null

qt_plugins="$(/usr/lib/qt6/bin/qtpaths6 --query QT_INSTALL_PLUGINS 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/qt6/plugins)"
mkdir -p "$root/plugins/platforms" "$root/lib"
for p in xcb offscreen; do cp -L "$qt_plugins/platforms/libq$p.so" "$root/plugins/platforms/"; done
# Qt's own strings (dialog buttons) in Chinese, where the studio looks for them through qt.conf.
mkdir -p "$root/translations"
cp -L /usr/share/qt6/translations/qtbase_zh_CN.qm "$root/translations/" 2>/dev/null || true

# glibc's core stays with the system (it must match the kernel's loader); all else is copied,
# libstdc++ and libgcc_s included, so a machine with an older GCC runtime works too.
is_glibc() {
  case "$1" in
    ld-linux*|libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libresolv.so.*|libutil.so.*) return 0 ;;
  esac
  return 1
}
elves=("$root"/bin/* "$root"/plugins/platforms/*.so)
copied=0
for elf in "${elves[@]}"; do
  # "libfoo.so.1 => /usr/lib/.../libfoo.so.1 (0x...)": copy the resolved file under its soname.
  while read -r soname _ path _; do
    [ -n "$path" ] && [ -f "$path" ] || continue
    is_glibc "$soname" && continue
    [ -e "$root/lib/$soname" ] && continue
    cp -L "$path" "$root/lib/$soname"
    copied=$((copied + 1))
  done < <(ldd "$elf" | grep '=>')
done
# ldd of a binary lists the whole closure; RUNPATH is not inherited by dependencies, so each
# library gets its own ($ORIGIN), as do the plugins.
for f in "$root"/bin/*; do patchelf --set-rpath '$ORIGIN/../lib' "$f"; done
for f in "$root"/lib/*; do chmod u+w "$f"; patchelf --set-rpath '$ORIGIN' "$f"; done
for f in "$root"/plugins/platforms/*.so; do patchelf --set-rpath '$ORIGIN/../../lib' "$f"; done
printf '[Paths]\nPrefix = ..\nPlugins = plugins\nTranslations = translations\n' > "$root/bin/qt.conf"

# Launchers at the top: they find the folder through their own path, wherever it was unpacked.
for exe in lorastudio lorastudio-cli; do
  cat > "$root/$exe" <<LAUNCHER
#!/bin/sh
# Runs bin/$exe of this bundle (its libraries are in lib/, found through RUNPATH).
here="\$(dirname "\$(readlink -f "\$0")")"
exec "\$here/bin/$exe" "\$@"
LAUNCHER
  chmod +x "$root/$exe"
done
cat > "$root/README.txt" <<TXT
LoRA Studio $version, self-contained build for Linux $(uname -m) (glibc $(ldd --version | head -1 | awk '{print $NF}') or newer).

  ./lorastudio [PROJECT.yaml]        the studio (X11; QT_QPA_PLATFORM=offscreen for no display)
  ./lorastudio-cli --help            the command line
  ./lorastudio share/lorastudio/demo/demo.yaml   the demo project

Bundled: Qt 6, LibTorch (CPU), OpenBLAS, yaml-cpp and their dependencies in lib/; Qt's xcb and
offscreen platform plugins in plugins/. The system provides glibc, fonts (fontconfig) and X11.
TXT
tar -C "$stage" -czf "$build/packages/$name.tar.gz" "$name"
echo "bundle: $build/packages/$name.tar.gz ($copied libraries, $(du -sh "$root" | cut -f1) unpacked, $(du -h "$build/packages/$name.tar.gz" | cut -f1) packed)"
