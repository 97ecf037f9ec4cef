#!/usr/bin/env bash
# GGUF export types side by side on one model folder: for each --type (f16, q8_0, q4_0, q4_k_m, q5_k_m) the
# file size, bits per matrix weight, export time and peak RSS (/usr/bin/time), the tensor types the
# recipe chose, and (when node-llama-cpp is installed: tests/llama_cpp/install_node_llama_cpp.sh)
# whether a real llama.cpp loads the file and how fast it runs 16 greedy tokens on the CPU.
#   bench/run_gguf_bench.sh MODEL_DIR [CLI] [NODE_LLAMA_CPP_DIR]
# MODEL_DIR: a model folder with tokenizer.json, e.g. bench/peer/make_random_model.py's
#   python3 bench/peer/make_random_model.py ../shared/peer/configs/qwen2-0.5b ../shared/fixtures/tokenizers/qwen3 /tmp/qwen2-0.5b
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="$1"; cli="${2:-$root/build/app/lorastudio-cli}"; nlc="${3:-$root/.cache/llama-cpp-node}"
work="$(mktemp -d /tmp/gguf-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
types=(f16 q8_0 q4_0 q4_k_m q5_k_m)
for t in "${types[@]}"; do
  /usr/bin/time -v "$cli" export-gguf "$model" --out "$work/$t.gguf" --type "$t" >"$work/$t.log" 2>"$work/$t.time" ||
    { tail -5 "$work/$t.log" "$work/$t.time" >&2; exit 1; }
  "$cli" inspect "$work/$t.gguf" --json >"$work/$t.json"
done
if [ -f "$nlc/node_modules/node-llama-cpp/package.json" ]; then
  node=node; [ -x "$nlc/bin/node" ] && node="$nlc/bin/node"
  python3 - "$work" "${types[@]}" >"$work/jobs.json" <<'PY'
import json, sys
work, types = sys.argv[1], sys.argv[2:]
print(json.dumps({"jobs": [{"id": t, "kind": "generate", "model": f"{work}/{t}.gguf", "prompt": [1, 17, 42, 9], "n": 16}
                           for t in types]}))
PY
  "$node" "$root/tests/llama_cpp/run_llama_cpp.mjs" --modules "$nlc" --threads "$(nproc)" --out "$work/llama.json" "$work/jobs.json" \
    >/dev/null 2>"$work/llama.err" || tail -5 "$work/llama.err" >&2
fi
python3 - "$work" "${types[@]}" <<'PY'
import collections, json, os, re, sys
work, types = sys.argv[1], sys.argv[2:]
llama = {}
if os.path.exists(f"{work}/llama.json"):
    llama = {r.get("id"): r for r in json.load(open(f"{work}/llama.json"))["results"]}
print(f"{'type':8} {'size':>10} {'bits/weight':>12} {'export s':>9} {'peak RSS':>9}  {'llama.cpp 16 tokens':>20}  tensor types")
for t in types:
    info = json.load(open(f"{work}/{t}.json"))
    size = os.path.getsize(f"{work}/{t}.gguf")
    weights = sum(x["ne"][0] * x["ne"][1] for x in info["tensors"] if len(x["ne"]) >= 2)
    matrix_bytes = sum(x["bytes"] for x in info["tensors"] if len(x["ne"]) >= 2)
    timing = open(f"{work}/{t}.time").read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", timing).group(1).split(":")
    seconds = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall)))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1)) / 1024 ** 2
    counts = collections.Counter(x["type"] for x in info["tensors"] if len(x["ne"]) >= 2)
    r = llama.get(t)
    run = "not run" if r is None else ("error" if "error" in r else f"{r['seconds']:.2f} s")
    print(f"{t:8} {size / 2**20:8.1f} MiB {8 * matrix_bytes / weights:12.2f} {seconds:9.1f} {rss:7.2f} GiB  {run:>20}  "
          + ", ".join(f"{k} x{v}" for k, v in sorted(counts.items())))
PY
