#!/usr/bin/env bash
# End-to-end CLI flows as the README shows them, on the shipped demo and the HF fixtures:
# inspect, tokenize (and --decode round trip), logits vs the transformers fixture, estimate,
# train (3 steps) -> resume -> export-adapter -> merge -> analyze -> export-gguf (merged, adapter,
# Ollama) -> inspect FILE.gguf, and bad input failing cleanly.
# Usage: test_cli_flows.sh CLI SOURCE_DIR FIXTURES_DIR
set -euo pipefail
cli="$1"; src="$2"; fixtures="$3"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { grep -qF -- "$2" <<<"$1" || fail "expected '$2' in: $1"; }

demo="$src/resources/demo/model"
out=$("$cli" inspect "$demo"); expect "$out" "GPT2LMHeadModel"; expect "$out" "linear modules (17)"
expect "$("$cli" inspect "$fixtures/models/llama/model" --json)" '"name": "model.layers.1.mlp.down_proj"'

ids=$(printf 'The cat likes to eat fish.' | "$cli" tokenize "$demo")
[[ "$ids" =~ ^\[[0-9,]+\]$ ]] || fail "tokenize printed $ids"
[ "$(printf '%s' "$ids" | "$cli" tokenize "$demo" --decode)" = "The cat likes to eat fish." ] || fail "decode round trip"

# logits of the fixture batch, compared with transformers' by the engine's own safetensors reader
# is what the unit tests do; here: the command runs and writes a file of the right size.
echo '[[1,2,3,4],[5,6,7,8]]' > "$work/ids.json"
"$cli" logits "$fixtures/models/gpt2/model" --ids "$work/ids.json" --out "$work/logits.safetensors" 2>/dev/null
size=$(stat -c %s "$work/logits.safetensors"); [ "$size" -gt $((2*4*1000*4)) ] || fail "logits file too small ($size)"

# A project in a scratch folder: the demo's model and data, 3 steps, checkpoint every 2.
cat > "$work/project.yaml" <<YAML
version: 1
base_model: '$demo'
output_dir: '$work/out'
lora: {target_modules: [c_attn], r: 4, lora_alpha: 8, lora_dropout: 0.0}
data: {path: '$src/resources/demo/instructions.jsonl', validation: 0.1, max_length: 128}
training: {max_steps: 3, batch_size: 4, lr: 1e-3, schedule: constant, warmup_steps: 0, warmup_ratio: 0, eval_every: 0, save_every: 2, logging_every: 1, seed: 1}
YAML
# Expected line computed independently: c_attn is 128 -> 384 in each of the 4 layers, r = 4;
# the demo model has 888,832 parameters; the percentage is printed as Python prints a float.
lora=$((4 * 4 * (128 + 384))); all=$((888832 + lora))
line=$(python3 -c "print(f'trainable params: {$lora:,} || all params: {$all:,} || trainable%: {100 * $lora / $all}')")
est=$("$cli" estimate "$work/project.yaml"); expect "$est" "$line"
# estimate --data: sized for the data's longest example (train's own check before its first step). The
# demo's longest instruction is longer than 128 tokens and shorter than 512: cut to 128 here; with
# max_length 512 the estimate shrinks to that example's length.
jsonkey() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
[ "$("$cli" estimate "$work/project.yaml" --data --json | jsonkey sequence)" = 128 ] || fail "estimate --data: the cut length should stay 128"
sed 's/max_length: 128/max_length: 512/' "$work/project.yaml" > "$work/long.yaml"
long=$("$cli" estimate "$work/long.yaml" --data --json)
seq=$(jsonkey sequence <<<"$long"); [ "$(jsonkey sequence_from_data <<<"$long")" = True ] || fail "estimate --data: $long"
[ "$seq" -gt 128 ] && [ "$seq" -lt 512 ] || fail "estimate --data: longest example $seq tokens, expected 129..511"
[ "$(jsonkey total <<<"$(python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["memory_bytes"]))' <<<"$long")")" -lt \
  "$("$cli" estimate "$work/long.yaml" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["memory_bytes"]["total"])')" ] \
  || fail "estimate --data should be smaller than the max_length estimate"
expect "$("$cli" estimate "$work/long.yaml" --data)" "x $seq tokens, the data's longest example"
tr=$("$cli" train "$work/project.yaml" --plain); expect "$tr" "completed after 3/3 steps"
# The run states the estimate estimate --data gives, and the measured peak beside it.
expect "$tr" "Memory estimate: peak $("$cli" estimate "$work/project.yaml" --data | sed -n 's/^  total *//p') resident (batch 4 x 128 tokens"
expect "$tr" "Peak memory: "
[ -f "$work/out/adapter/adapter_model.safetensors" ] || fail "no adapter exported"
[ "$(grep -c '"type":"step"' "$work/out/metrics.jsonl")" -eq 3 ] || fail "metrics.jsonl should hold 3 steps"
res=$("$cli" resume "$work/out/checkpoints/step-3" --max-steps 4 --plain); expect "$res" "completed after 4/4 steps"
"$cli" export-adapter "$work/out/checkpoints/step-4" --out "$work/peft" > /dev/null
[ -f "$work/peft/adapter_config.json" ] || fail "export-adapter wrote no config"
mg=$("$cli" merge "$demo" "$work/peft" --out "$work/merged"); expect "$mg" "merge check"
[ -f "$work/merged/model.safetensors" ] && [ -f "$work/merged/tokenizer.json" ] || fail "merged folder incomplete"
an=$("$cli" analyze "$work/peft" --base "$demo"); expect "$an" '"effective_rank"'

# GGUF (README): the trained adapter merged (Q8_0) and alone, each with an Ollama Modelfile; inspect
# reads both back. What llama.cpp makes of such files: test_gguf_llama_cpp.
gg=$("$cli" export-gguf "$demo" "$work/peft" --out "$work/gguf/demo-q8_0.gguf" --type q8_0 --ollama)
expect "$gg" "GGUF merged model written to"; expect "$gg" "Q8_0 x"; expect "$gg" "ollama create"
expect "$(cat "$work/gguf/Modelfile")" "FROM ./demo-q8_0.gguf"
ins=$("$cli" inspect "$work/gguf/demo-q8_0.gguf"); expect "$ins" "GGUF v3"; expect "$ins" "general.file_type"; expect "$ins" "blk.3.attn_qkv.weight"
# Q4_K_M on the demo's 128-wide rows: only the MLP's down projections (rows of 512) take K-quants
# (layers 2 and 3 of 4 the 6-bit ones, as llama.cpp chooses); the rest falls back as llama.cpp's
# quantizer does (Q4_K to Q5_0; Q6_K to Q8_0: the tied head, and the fused attn_qkv of layers 2
# and 3, widened as attn_v), the position table stays F32, and it says so.
g4=$("$cli" export-gguf "$demo" "$work/peft" --out "$work/gguf4/demo-q4_k_m.gguf" --type q4_k_m 2>&1)
expect "$g4" "Q4_K x2"; expect "$g4" "Q6_K x2"; expect "$g4" "Q5_0 x10"; expect "$g4" "Q8_0 x3"
expect "$g4" "10 matrices written as Q5_0, not Q4_K: their rows are not a multiple of 256"
if err=$("$cli" inspect "$work/gguf4/missing.gguf" 2>&1); then fail "inspect of a missing GGUF succeeded"; fi
expect "$err" "missing.gguf: cannot open file"
ins4=$("$cli" inspect "$work/gguf4/demo-q4_k_m.gguf"); grep -Eq "blk\.3\.ffn_down\.weight +Q6_K" <<<"$ins4" || fail "inspect: blk.3.ffn_down is not Q6_K"
ga=$("$cli" export-gguf "$demo" "$work/peft" --out "$work/ggufa/demo-lora.gguf" --adapter-only --ollama --type f32)
expect "$ga" "GGUF LoRA adapter written to"; expect "$ga" "GGUF base model (for the Modelfile's FROM)"
expect "$(cat "$work/ggufa/Modelfile")" "ADAPTER ./demo-lora.gguf"; expect "$(cat "$work/ggufa/Modelfile")" "FROM ./model-f32.gguf"
if err=$("$cli" export-gguf "$demo" "$work/peft" --out "$work/ggufa/q4.gguf" --adapter-only --type q4_k_m 2>&1); then fail "a 4-bit GGUF LoRA was written"; fi
expect "$err" "adapters are written as f32, f16 or bf16, not q4_k_m"
expect "$("$cli" inspect "$work/ggufa/demo-lora.gguf" --json)" '"adapter.type": "lora"'
if err=$("$cli" export-gguf "$demo" "$work/peft" --out "$work/gguf/demo-q8_0.gguf" 2>&1); then fail "an existing GGUF was replaced"; fi
expect "$err" "--overwrite"
if err=$("$cli" export-gguf "$fixtures/models/gpt2/model" "$src/tests/fixtures/dora/gpt2/adapter" --adapter-only --out "$work/dora.gguf" 2>&1); then fail "DoRA written as a GGUF LoRA"; fi
expect "$err" "DoRA"; [ ! -e "$work/dora.gguf" ] || fail "a refused GGUF export left a file"
printf 'GGUF\003\000\000\000' > "$work/short.gguf"
if err=$("$cli" inspect "$work/short.gguf" 2>&1); then fail "a truncated GGUF was read"; fi
expect "$err" "short.gguf"

# DPO on the demo's preference pairs, as the README runs it: the log and metrics.jsonl carry the
# reward accuracy and margin, and after 30 steps the validation pairs' chosen answers win (the
# untrained adapter scores 0.43 there, with a DPO loss of ln 2 = 0.6931).
dpo=$("$cli" train "$src/resources/demo/demo_dpo.yaml" --output "$work/dpo" --max-steps 30 --plain)
expect "$dpo" "completed after 30/30 steps"; expect "$dpo" "  reward accuracy "
last_eval=$(grep '"type":"eval"' "$work/dpo/metrics.jsonl" | tail -1)
python3 -c "import json,sys; e=json.loads(sys.argv[1]); assert e['pairs']==14 and e['reward_accuracy']>=0.7 and e['loss']<0.6 and e['reward_margin']>0.5, e" \
  "$last_eval" || fail "DPO did not learn the demo's preferences: $last_eval"
[ -f "$work/dpo/adapter/adapter_model.safetensors" ] || fail "no DPO adapter"
# ORPO on the same pairs (no reference pass): the chosen answers win on the validation pairs too.
sed "s|base_model: 'model'|base_model: '$demo'|; s|path: 'preferences.jsonl'|path: '$src/resources/demo/preferences.jsonl'|; s|objective: dpo|objective: orpo|" \
  "$src/resources/demo/demo_dpo.yaml" > "$work/orpo.yaml"
orpo=$("$cli" train "$work/orpo.yaml" --output "$work/orpo" --max-steps 30 --plain)
expect "$orpo" "completed after 30/30 steps"
last_eval=$(grep '"type":"eval"' "$work/orpo/metrics.jsonl" | tail -1)
python3 -c "import json,sys; e=json.loads(sys.argv[1]); assert e['pairs']==14 and e['reward_accuracy']>=0.7 and e['reward_margin']>0, e" \
  "$last_eval" || fail "ORPO did not learn the demo's preferences: $last_eval"
# The estimate sizes each pair as two rows, and says so.
est=$("$cli" estimate "$work/orpo.yaml")
expect "$est" "memory estimate (cpu, batch 8 pairs (16 rows) x 256 tokens"
# DPO on instruction data, and SFT on preference pairs, are refused with the file and the fix.
sed "s|base_model: 'model'|base_model: '$demo'|; s|path: 'preferences.jsonl'|path: '$src/resources/demo/instructions.jsonl'|; s|format: preference|format: auto|" \
  "$src/resources/demo/demo_dpo.yaml" > "$work/dpo_alpaca.yaml"
if err=$("$cli" train "$work/dpo_alpaca.yaml" --output "$work/dpo2" --plain 2>&1); then fail "DPO trained on instruction data"; fi
expect "$err" "instructions.jsonl: holds alpaca records, and training.objective dpo needs preference pairs"

# Bad input fails with a message naming the file, and no traceback.
printf 'version: 1\nbase_model: [\n' > "$work/bad.yaml"
if err=$("$cli" estimate "$work/bad.yaml" 2>&1); then fail "malformed YAML accepted"; fi
expect "$err" "bad.yaml"
if err=$("$cli" merge "$fixtures/models/gpt2/model" "$fixtures/models/llama/adapter" --out "$work/x" 2>&1); then fail "wrong base accepted"; fi
expect "$err" "matched no linear module"
[ ! -e "$work/x" ] || fail "a failed merge left a folder behind"
echo "CLI flows: all passed"
