#!/usr/bin/env bash
# Real PEFT loads every plain adapter LoRA Studio writes, with our logits: for the three fixture
# models (gpt2 with Conv1D, llama, qwen2) the CLI re-exports the fixture's adapter, and for the demo
# GPT-2 it trains one (rsLoRA and a rank_pattern on, so their keys are written too); PEFT then loads
# each onto its base and its logits are compared with ours through the same adapter (< 1e-5) and
# with our merged model (< 5e-5: W + ΔW rounds in fp32; PEFT's own merge moves logits as much).
#   bash tests/reference/peft_loads_our_adapters.sh build/app/lorastudio-cli [OUT]
# Needs ../shared/fixtures and a Python with transformers + peft (default: ../shared/peer's, i.e.
# transformers 4.37.2 + PEFT 0.8.2; see its README). Another PEFT: extract its tag beside the
# others and point PEER_SRC at that tree, e.g. PEFT v0.10.0 (commit 20beea81, DoRA-capable):
#   mkdir -p /tmp/peer2/src && cd /tmp/peer2/src && for d in transformers accelerate huggingface_hub safetensors; do
#     ln -s /tmp/peer/src/$d .; done && mkdir peft && git --git-dir=<peft snapshot> archive v0.10.0 src/peft | tar -x -C peft
#   PEER_SRC=/tmp/peer2/src PEER_STUBS=/tmp/peer2/stubs bash tests/reference/peft_loads_our_adapters.sh build/app/lorastudio-cli
# DORA=1 adds the DoRA adapters (needs a PEFT >= 0.9, e.g. tests/fixtures/dora's PEFT 0.13.2 tree).
# Not part of CTest: CI has no PEFT.
set -euo pipefail
python=${PYTHON:-/usr/bin/python3}  # Debian's, with python3-torch (the peer environment's)
cli=$(readlink -f "$1")
out=${2:-/tmp/lorastudio-peft-check}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fixtures=${LORASTUDIO_FIXTURES:-$root/../shared/fixtures}/models
rm -rf "$out" && mkdir -p "$out"
status=0
check() {  # NAME BASE ADAPTER IDS
  local name=$1 base=$2 adapter=$3 ids=$4
  mkdir -p "$out/$name"
  # Like with like: PEFT's adapted model against ours (1e-5), and against our merged model, which
  # carries the rounding of W + ΔW in fp32 (PEFT's own merge_and_unload differs by as much).
  "$cli" logits "$base" --adapter "$adapter" --ids "$ids" --out "$out/$name/ours.safetensors" 2>/dev/null
  "$python" "$here/peft_loads_our_adapter.py" "$base" "$adapter" "$ids" "$out/$name/ours.safetensors" || status=1
  "$cli" merge "$base" "$adapter" --out "$out/$name/merged" >/dev/null
  "$cli" logits "$out/$name/merged" --ids "$ids" --out "$out/$name/ours-merged.safetensors" 2>/dev/null
  "$python" "$here/peft_loads_our_adapter.py" "$base" "$adapter" "$ids" "$out/$name/ours-merged.safetensors" 5e-5 | sed 's/^/  merged: /' || status=1
}
for m in gpt2 llama qwen2; do
  mkdir -p "$out/$m"
  "$cli" export-adapter "$fixtures/$m/adapter" --base "$fixtures/$m/model" --out "$out/$m/adapter" >/dev/null
  "$python" - "$fixtures/$m/logits.safetensors" "$out/$m/ids.json" <<'PY'
import json, os, sys
sys.path.insert(0, os.environ.get("LORASTUDIO_PEER", os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), "..", "..", "..", "peer")))
import st_io
ids = st_io.read_file(sys.argv[1])[0]["input_ids"]
json.dump([list(map(int, row)) for row in ids.tolist()], open(sys.argv[2], "w"))
PY
  check "$m" "$fixtures/$m/model" "$out/$m/adapter" "$out/$m/ids.json"
done
# A trained adapter of the demo: 6 steps, rsLoRA and a rank pattern.
cp -r "$root/resources/demo" "$out/demo"
"$python" - "$out/demo/demo.yaml" <<'PY'
import re, sys
p = sys.argv[1]; s = open(p).read()
s = re.sub(r"(?m)^  use_rslora: .*$", "  use_rslora: true", s)
s = re.sub(r"(?m)^  rank_pattern: .*$", "  rank_pattern:\n    'h\\.1\\.attn\\.c_attn': 4", s)
s = re.sub(r"(?m)^  max_steps: .*$", "  max_steps: 6", s)
open(p, "w").write(s)
PY
"$cli" train "$out/demo/demo.yaml" --plain >/dev/null
echo '[[1, 20, 33, 47, 5, 81, 120, 7, 250, 3, 64, 99], [400, 2, 18, 30, 77, 6, 140, 11, 9, 301, 45, 12]]' > "$out/demo/ids.json"
check demo "$out/demo/model" "$out/demo/output/adapter" "$out/demo/ids.json"
# DORA=1 (a PEFT >= 0.9 under PEER_SRC): the DoRA adapters too, re-exported from tests/fixtures/dora
# (made by PEFT 0.13.2) and one trained on the demo.
if [ "${DORA:-0}" = 1 ]; then
  for m in gpt2 llama qwen2; do
    mkdir -p "$out/dora-$m"
    "$cli" export-adapter "$root/tests/fixtures/dora/$m/adapter" --base "$fixtures/$m/model" --out "$out/dora-$m/adapter" >/dev/null
    check "dora-$m" "$fixtures/$m/model" "$out/dora-$m/adapter" "$out/$m/ids.json"
  done
  sed -e 's/^  use_rslora: true/  use_rslora: true\n  use_dora: true/' -e "s#output_dir: .*#output_dir: 'output-dora'#" \
      "$out/demo/demo.yaml" > "$out/demo/dora.yaml"
  "$cli" train "$out/demo/dora.yaml" --plain >/dev/null
  check demo-dora "$out/demo/model" "$out/demo/output-dora/adapter" "$out/demo/ids.json"
fi
exit $status
