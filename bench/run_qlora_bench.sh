#!/usr/bin/env bash
# QLoRA and DoRA on the CPU: one project trained with the base weights dense (fp32, bf16), as int8
# and as nf4 (double-quantized), and with DoRA on fp32, back to back with the same CLI; prints for
# each the tokens/s (mean of the steps after 2 warm-up steps), the peak RSS (/usr/bin/time) and
# the estimate (`lorastudio-cli estimate`) with its error.
#   bench/run_qlora_bench.sh PROJECT_DIR [CLI] [STEPS] [THREADS]
# PROJECT_DIR holds bench.yaml (e.g. ../shared/peer/make_bench_model.py's SmolLM2-135M folder).
# STORED_BASE=FOLDER adds a row: the same model as bitsandbytes stored it (nf4, a "-bnb-4bit" folder
# saved by transformers; tests/fixtures/bnb/README.md says how), trained with lora.quantization nf4.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$1"; cli="${2:-$root/build/app/lorastudio-cli}"; steps="${3:-6}"; threads="${4:-0}"
work="$(mktemp -d "$dir/qlora-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT
variants=("fp32 none false" "bf16 none false" "fp32 int8 false" "fp32 nf4 false" "bf16 nf4 false" "fp32 none true")
[ -z "${STORED_BASE:-}" ] || variants+=("fp32 nf4-stored false")
for v in "${variants[@]}"; do
  read -r precision quant dora <<<"$v"
  name="$precision-$quant-dora$dora"
  python3 - "$dir/bench.yaml" "$work/$name.yaml" "$precision" "$quant" "$dora" "$steps" "$threads" "${STORED_BASE:-}" <<'PY'
import re, sys
src, dst, precision, quant, dora, steps, threads, stored = sys.argv[1:]
text = open(src).read()
if quant == "nf4-stored":
    quant = "nf4"
    text = re.sub(r"(?m)^base_model: .*$", lambda m: "base_model: '" + __import__('os').path.abspath(stored) + "'", text)
text = re.sub(r"(?m)^base_model: (.*)$", lambda m: "base_model: '" + __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(src)), m.group(1).strip("'")) + "'", text)
text = re.sub(r"(?m)^data:\n  path: (.*)$", lambda m: "data:\n  path: '" + __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(src)), m.group(1).strip("'")) + "'", text)
text = re.sub(r"(?m)^lora:\n", f"lora:\n  quantization: {quant}\n  use_dora: {dora}\n", text)
text = re.sub(r"(?m)^  precision: .*$", f"  precision: {precision}", text)
text = re.sub(r"(?m)^  max_steps: .*$", f"  max_steps: {steps}\n  threads: {threads}", text)
open(dst, "w").write(text)
PY
  "$cli" estimate "$work/$name.yaml" --json >"$work/$name.estimate.json"
  /usr/bin/time -v "$cli" train "$work/$name.yaml" --plain --output "$work/out-$name" >"$work/$name.log" 2>"$work/$name.time" ||
    { tail -5 "$work/$name.log" "$work/$name.time" >&2; exit 1; }
done
python3 - "$work" "$steps" "${variants[@]}" <<'PY'
import json, re, sys
work, steps, variants = sys.argv[1], sys.argv[2], sys.argv[3:]
print(f"{steps} steps each; tokens/s over the steps after 2 warm-up steps")
print(f"{'base weights':26s} {'tokens/s':>9s} {'peak RSS':>10s} {'estimate':>10s} {'error':>7s}")
ref = None
for v in variants:
    precision, quant, dora = v.split()
    name = f"{precision}-{quant}-dora{dora}"
    rows = [json.loads(l) for l in open(f"{work}/out-{name}/metrics.jsonl") if '"type":"step"' in l][2:]
    tps = sum(r['tokens'] for r in rows) / sum(r['tokens'] / r['tokens_per_second'] for r in rows)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{work}/{name}.time").read()).group(1)) * 1024
    est = json.load(open(f"{work}/{name}.estimate.json"))["memory_bytes"]["total"]
    label = f"{precision} {quant.replace('-stored', ' (stored)')}" + (" + DoRA" if dora == "true" else "")
    ref = ref or (tps, rss)
    print(f"{label:26s} {tps:9.1f} {rss / 2**30:8.2f} GiB {est / 2**30:8.2f} GiB {100 * (est - rss) / rss:+6.1f}%"
          f"   (x{tps / ref[0]:.2f} speed, x{rss / ref[1]:.2f} memory vs fp32 dense)")
PY
