# Sourced by every tests/errors/cases/<id>/setup.sh, in the case's empty scratch folder.
# SRC: the source tree; FIX: the shared fixtures (../shared/fixtures); CLI: this build's CLI (for the
# cases that need a training checkpoint first). Inputs are copies of good
# fixtures, broken by the smallest edit that shows the case.
set -euo pipefail
# The system's Python first: a version manager's shim on PATH can take a second to start.
PY=$(command -v /usr/bin/python3 || command -v python3)
edit() { "$PY" "$SRC/tests/errors/edit.py" "$@"; }
demo_model() { cp -r "$SRC/resources/demo/model" "${1:-model}"; }          # tiny GPT-2 with tokenizer
gpt2_model() { cp -r "$FIX/models/gpt2/model" "${1:-base}"; }             # HF GPT-2 fixture
gpt2_adapter() { cp -r "$FIX/models/gpt2/adapter" "${1:-adapter}"; }      # its PEFT adapter (c_attn, r 4)
# The demo model as one shard named by model.safetensors.index.json.
sharded_demo_model() {
    demo_model
    mv model/model.safetensors model/model-00001-of-00001.safetensors
    "$PY" - <<'PY'
import json, struct
d = open('model/model-00001-of-00001.safetensors', 'rb').read()
names = [k for k in json.loads(d[8:8 + struct.unpack('<Q', d[:8])[0]]) if k != '__metadata__']
json.dump({"metadata": {}, "weight_map": {n: "model-00001-of-00001.safetensors" for n in names}},
          open('model/model.safetensors.index.json', 'w'), indent=2)
PY
}
demo_data() { cp "$SRC/resources/demo/instructions.jsonl" "${1:-data.jsonl}"; }
# project [DATA_FILE] [EXTRA DATA KEYS] [LORA KEYS] [TRAINING KEYS] -> project.yaml on model/; the
# training keys, when given, replace the default (1 step of 2 examples).
project() {
    cat > project.yaml <<YAML
version: 1
base_model: model
output_dir: out
lora: {r: 4, lora_alpha: 8, target_modules: [c_attn]${3:+, $3}}
data: {path: ${1:-data.jsonl}, validation: 0${2:+, $2}}
training: {eval_every: 0, logging_every: 1, ${4:-max_steps: 1, batch_size: 2, save_every: 0}}
YAML
}
