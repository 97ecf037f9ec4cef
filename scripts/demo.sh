#!/usr/bin/env bash
# The demo behind `scripts/dev.sh demo`: opens the studio on the built-in demo project
# (resources/demo: a tiny GPT-2 and an instruction set written for it). Without a display
# (no $DISPLAY / $WAYLAND_DISPLAY) it runs the same flow headless with lorastudio-cli instead.
# Usage: scripts/demo.sh BUILD_DIR [--cli]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-$here/build}"
cli="$build_dir/app/lorastudio-cli"
studio="$build_dir/app/lorastudio"
project="$here/resources/demo/demo.yaml"
model="$here/resources/demo/model"

if [ "${2:-}" != "--cli" ] && [ -x "$studio" ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
  echo "== opening the studio on $project (press Start on the Train page)"
  exec "$studio" "$project"
fi

echo "== no display: the demo runs headless with lorastudio-cli"
out="$(mktemp -d)"
echo "== lorastudio-cli inspect $model"
"$cli" inspect "$model"
echo
echo "== lorastudio-cli estimate (exact counts, memory estimate)"
"$cli" estimate "$project"
echo
echo "== lorastudio-cli train (output in $out)"
"$cli" train "$project" --output "$out"
echo
echo "== what the adapter learned (lorastudio-cli analyze --summary)"
"$cli" analyze "$out/adapter" --base "$model" --summary
echo
echo "== base model vs merged model, greedy"
"$cli" merge "$model" "$out/adapter" --out "$out/merged"
prompt=$'Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\nHow many legs does a duck have?\n\n### Response:\n'
"$cli" generate "$model" --prompt "$prompt" --max-new-tokens 12 --temperature 0
"$cli" generate "$out/merged" --prompt "$prompt" --max-new-tokens 12 --temperature 0
