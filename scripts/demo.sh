#!/usr/bin/env bash
# The demo behind `scripts/dev.sh demo`: runs the built tools on the model shipped in resources/.
# Usage: scripts/demo.sh BUILD_DIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-$here/build}"
cli="$build_dir/app/lorastudio-cli"
model="$here/resources/demo/model"

echo "== lorastudio-cli inspect $model"
"$cli" inspect "$model"
echo
echo "== echo 'The cat likes to eat' | lorastudio-cli tokenize"
echo -n "The cat likes to eat" | "$cli" tokenize "$model"
echo
echo "== lorastudio-cli generate (greedy, then sampled)"
"$cli" generate "$model" --prompt "The brown fox" --max-new-tokens 40 --temperature 0
"$cli" generate "$model" --prompt "3 plus 4 is" --max-new-tokens 40 --temperature 0.8 --top-p 0.9 --seed 7
