# Shared by the fault injection tests (tests/faults/test_*.sh): arguments, a scratch folder, the
# LD_PRELOAD write-fault shim built from fault_shim.c, a small project on the demo model, and checks.
# Usage in a test: source fault_lib.sh "$@"   (arguments: CLI SOURCE_DIR)
set -euo pipefail
cli="$1"; src="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/lorastudio-faults.XXXXXX")"
cleanup_hooks=()
cleanup() { for h in "${cleanup_hooks[@]+"${cleanup_hooks[@]}"}"; do eval "$h" || true; done; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIPPED: $*"; exit 77; }
expect() { grep -qF -- "$2" <<<"$1" || fail "expected '$2' in: $1"; }
demo="$src/resources/demo/model"

# The seed of every random choice: LS_FAULT_SEED reproduces a failing run.
seed="${LS_FAULT_SEED:-$(( $(date +%s) % 100000 ))}"
RANDOM=$seed
echo "fault test seed: $seed (rerun with LS_FAULT_SEED=$seed to reproduce)"

# The write-fault shim: LS_FAULT_MATCH (path substring), LS_FAULT_AFTER (bytes), LS_FAULT_MODE (kill|enospc).
shim="$work/fault_shim.so"
cc -shared -fPIC -O2 -o "$shim" "$here/fault_shim.c" -ldl 2>"$work/cc.log" \
  || skip "cannot compile the LD_PRELOAD shim with cc: $(cat "$work/cc.log")"
# Runs the CLI with writes to paths containing $1 failing (mode $3) after $2 bytes.
with_fault() { local match="$1" after="$2" mode="$3"; shift 3
  LS_FAULT_MATCH="$match" LS_FAULT_AFTER="$after" LS_FAULT_MODE="$mode" LD_PRELOAD="$shim" "$@"; }

# write_project FILE OUTPUT_DIR MAX_STEPS SAVE_EVERY [DATA_PATH] [STREAMING]: LoRA r 4 on c_attn with
# dropout (so the random state has to survive a resume), every checkpoint kept.
write_project() {
  local file="$1" out="$2" steps="$3" every="$4" data="${5:-$src/resources/demo/instructions.jsonl}" streaming="${6:-false}"
  cat > "$file" <<YAML
version: 1
base_model: '$demo'
output_dir: '$out'
lora: {target_modules: [c_attn], r: 4, lora_alpha: 8, lora_dropout: 0.1}
data: {path: '$data', validation: 0.1, max_length: 256, streaming: $streaming}
training: {max_steps: $steps, batch_size: 4, lr: 1e-3, schedule: cosine, warmup_steps: 2, warmup_ratio: 0, eval_every: 0, save_every: $every, logging_every: 1, seed: 7, save_total_limit: 0, analysis_every: 0, threads: 1}
YAML
}

# Every file under $1 is complete: no temporary leftovers named like a final file. Lists leftovers.
temporaries() { find "$1" -name '*.tmp-*' -o -name '.tmp-step-*' -o -name '.old-step-*' 2>/dev/null | sort; }

# Safetensors files are whole: 8-byte length, JSON header, and data offsets that end exactly at the file's end.
safetensors_whole() {
  /usr/bin/env python3 - "$@" <<'PY'
import json, os, struct, sys
for p in sys.argv[1:]:
    size = os.path.getsize(p)
    with open(p, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        if n + 8 > size: sys.exit(f"{p}: header length {n} past the end ({size} bytes)")
        h = json.loads(f.read(n))
    end = max([v['data_offsets'][1] for k, v in h.items() if k != '__metadata__'] + [0])
    if 8 + n + end != size: sys.exit(f"{p}: data ends at {8 + n + end}, file has {size} bytes")
PY
}
