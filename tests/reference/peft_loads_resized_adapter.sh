#!/usr/bin/env bash
# Real PEFT loads the adapters `lorastudio-cli resize` writes and computes what we compute: two
# demo adapters are trained (the demo as shipped; and rsLoRA with a rank_pattern and an
# alpha_pattern), each is resized three ways (--energy 0.95; --energy 0.9 --exact, ranks that are
# no power of two; --rank of the full r, lossless), and for every result PEFT must
#   - give each module the rank and scaling the resize chose (read from PEFT's own layers),
#   - produce our logits through the resized adapter (< 1e-5),
# and the script prints PEFT's logits difference between the resized and the original adapter
# (the truncation's effect; the full-rank resize must stay < 1e-4).
#   bash tests/reference/peft_loads_resized_adapter.sh build/app/lorastudio-cli [OUT]
# Needs the peer environment (../shared/peer: transformers 4.37.2 + PEFT 0.8.2); PEER_SRC selects
# another PEFT tree as in peft_loads_our_adapters.sh. Not part of CTest: CI has no PEFT.
set -euo pipefail
python=${PYTHON:-/usr/bin/python3}
cli=$(readlink -f "$1")
out=${2:-/tmp/lorastudio-peft-resize-check}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rm -rf "$out" && mkdir -p "$out"
export LORASTUDIO_PEER=${LORASTUDIO_PEER:-$root/../shared/peer}
status=0
echo '[[1, 20, 33, 47, 5, 81, 120, 7, 250, 3, 64, 99], [400, 2, 18, 30, 77, 6, 140, 11, 9, 301, 45, 12]]' > "$out/ids.json"
cp -r "$root/resources/demo" "$out/demo"
# The variant: rsLoRA, a rank pattern and an alpha pattern, 20 steps.
"$python" - "$out/demo/demo.yaml" "$out/demo/variant.yaml" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r"(?m)^  use_rslora: .*$", "  use_rslora: true", s)
s = re.sub(r"(?m)^  rank_pattern: .*$", "  rank_pattern:\n    'h\\.1\\.attn\\.c_attn': 4", s)
s = re.sub(r"(?m)^  alpha_pattern: .*$", "  alpha_pattern:\n    'mlp\\.c_proj': 40", s)
s = re.sub(r"(?m)^  max_steps: .*$", "  max_steps: 20", s)
s = re.sub(r"(?m)^output_dir: .*$", "output_dir: 'output-variant'", s)
open(sys.argv[2], "w").write(s)
PY
"$cli" train "$out/demo/demo.yaml" --plain >/dev/null
"$cli" train "$out/demo/variant.yaml" --plain >/dev/null
base="$out/demo/model"
for run in output output-variant; do
  adapter="$out/demo/$run/adapter"
  "$cli" logits "$base" --adapter "$adapter" --ids "$out/ids.json" --out "$out/$run-original.safetensors" 2>/dev/null
  for how in "energy95:--energy 0.95" "energy90exact:--energy 0.9 --exact" "full:--rank 64"; do
    name="$run-${how%%:*}"
    "$cli" resize "$adapter" ${how#*:} --out "$out/$name" --base "$base" --json > "$out/$name.json"
    "$cli" logits "$base" --adapter "$out/$name" --ids "$out/ids.json" --out "$out/$name-ours.safetensors" 2>/dev/null
    echo "== $name: $(tr -d '\n ' < "$out/$name/adapter_config.json" | grep -o '"rank_pattern":{[^}]*}')"
    "$python" "$here/peft_loads_our_adapter.py" "$base" "$out/$name" "$out/ids.json" "$out/$name-ours.safetensors" || status=1
    tol=1e9; [ "${how%%:*}" = full ] && tol=1e-4
    "$python" - "$base" "$out/$name" "$out/ids.json" "$out/$run-original.safetensors" "$out/$name.json" "$tol" <<'PY' || status=1
# PEFT's ranks and scalings of the resized adapter, and its logits against our original adapter's.
import json, os, sys
sys.path.insert(0, os.environ["LORASTUDIO_PEER"])
import peer_env
peer_env.setup()
import torch, transformers, peft, st_io
base, adapter, ids_path, original_path, result_path, tol = sys.argv[1:7]
result = json.load(open(result_path))
wanted = {m["name"]: m["new_rank"] for m in result["modules"]}
cfg = json.load(open(os.path.join(adapter, "adapter_config.json")))
model = transformers.AutoModelForCausalLM.from_pretrained(base, torch_dtype=torch.float32, attn_implementation="eager")
model = peft.PeftModel.from_pretrained(model, adapter).eval()
bad = 0
for name, module in model.base_model.model.named_modules():
    if name in wanted:
        r = module.r["default"]
        alpha = module.lora_alpha["default"]
        expected = alpha / (r ** 0.5) if cfg["use_rslora"] else alpha / r
        if r != wanted[name] or abs(module.scaling["default"] - expected) > 1e-12:
            print(f"  PEFT gives {name} r={r}, scaling {module.scaling['default']}; the resize chose r={wanted[name]}")
            bad += 1
ids = torch.tensor(json.load(open(ids_path)))
with torch.no_grad():
    theirs = model(input_ids=ids).logits.float()
ours = torch.as_tensor(st_io.read_file(original_path)[0]["logits"]).float()
diff = (theirs - ours).abs().max().item()
print(f"  PEFT {peft.__version__}: ranks of all {len(wanted)} modules as chosen: {bad == 0}; "
      f"max |logit difference| resized (PEFT) vs original (ours) = {diff:.3g}, largest |logit| {ours.abs().max().item():.3g}")
sys.exit(0 if bad == 0 and diff <= float(tol) else 1)
PY
  done
done
exit $status
