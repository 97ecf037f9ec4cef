#!/usr/bin/env bash
# LoRA training side by side: lorastudio-cli, then transformers + PEFT, on a random-weight model
# built from a real config.json, with the same shape, sequence, batch, r, targets (all 7
# projections), threads and steps, back to back in one run. Prints tokens/s and peak RSS of both
# (CUDA: also the peak allocated memory, the estimate and MFU with the 4N accounting) and the ratios.
#
#   bench/peer/run_peer_bench.sh [--config DIR] [--layers N] [--seq 256] [--batch 4] [--r 16]
#        [--steps 6] [--threads N] [--precision fp32|bf16] [--device cpu|cuda] [--packing]
#        [--cli build/app/lorastudio-cli] [--work /tmp/lorastudio-bench] [--peak-tflops 989]
#
# The reference: python3 with transformers and peft importable (a CUDA machine), else Debian 12's
# python3-torch with the pinned sources of ../shared/peer (see its README; /tmp/peer/src).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${LORASTUDIO_SHARED:-$root/../shared}"
config="$shared/peer/configs/smollm2-135m"; layers=0; seq=256; batch=4; r=16; steps=6; threads=""
precision=""; device=cpu; cli="$root/build/app/lorastudio-cli"; work=/tmp/lorastudio-bench; peak=989
packing=0
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config=$2; shift 2 ;; --layers) layers=$2; shift 2 ;; --seq) seq=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;; --r) r=$2; shift 2 ;; --steps) steps=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;; --precision) precision=$2; shift 2 ;; --device) device=$2; shift 2 ;;
    --cli) cli=$2; shift 2 ;; --work) work=$2; shift 2 ;; --peak-tflops) peak=$2; shift 2 ;;
    --packing) packing=1; shift ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
[ -n "$precision" ] || { [ "$device" = cuda ] && precision=bf16 || precision=fp32; }
[ -n "$threads" ] || threads=$(lscpu -p=CORE 2>/dev/null | grep -v '^#' | sort -u | wc -l)
attn=eager; [ "$device" = cuda ] && attn=sdpa
py=python3; "$py" -c 'import torch' 2>/dev/null || py=/usr/bin/python3
name="$(basename "$config")"; if [ "$layers" -gt 0 ]; then name="$name-${layers}l"; fi
dir="$work/$name"
mkdir -p "$dir"
if [ ! -f "$dir/model/model.safetensors" ]; then
  "$py" "$here/make_random_model.py" "$config" "$shared/fixtures/tokenizers/mistral" "$dir" --layers "$layers" >/dev/null
fi
cat >"$dir/bench.yaml" <<YAML
version: 1
base_model: model
output_dir: out
lora: {target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj], r: $r, lora_alpha: $((2 * r)), lora_dropout: 0}
data: {path: data.jsonl, format: text, max_length: $seq, completion_only_loss: false, shuffle: false, packing: $(if [ $packing = 1 ]; then echo true; else echo false; fi)}
training: {max_steps: $steps, batch_size: $batch, lr: 1e-4, schedule: constant, warmup_steps: 0, warmup_ratio: 0,
  max_grad_norm: 0, precision: $precision, eval_every: 0, save_every: 0, logging_every: 1, analysis_every: 0,
  device: $device, threads: $threads, save_total_limit: 1}
YAML
rm -rf "$dir/out"
# measured CMD...: runs CMD with its peak RSS on stderr in GNU time's words (GNU time where there
# is one; a GPU machine's image may lack it, then Python's getrusage of the child).
measured() {
  if [ -x /usr/bin/time ]; then /usr/bin/time -v "$@"; return; fi
  "$py" -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:])
print("Maximum resident set size (kbytes): %d" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(rc)' "$@"
}
OMP_NUM_THREADS=$threads measured "$cli" train "$dir/bench.yaml" --plain >"$dir/ours.log" 2>"$dir/ours.time" ||
  { tail -5 "$dir/ours.log" "$dir/ours.time" >&2; exit 1; }
"$cli" estimate "$dir/bench.yaml" >"$dir/estimate.txt" 2>&1 || true

# The reference: natively importable transformers + peft, else the pinned sources through ../shared/peer.
if "$py" -c 'import transformers, peft' 2>/dev/null; then ref=("$py" "$shared/peer/peft_bench.py")
else ref=(/usr/bin/python3 "$shared/peer/peft_cpu.py"); fi
OMP_NUM_THREADS=$threads measured "${ref[@]}" "$dir/model" --seq "$seq" --batch "$batch" --r "$r" \
  --dtype "$precision" --attn "$attn" --steps $((steps - 2)) --warmup 2 --peak-tflops "$peak" >"$dir/peft.json" 2>"$dir/peft.time" ||
  { tail -5 "$dir/peft.time" >&2; exit 1; }

"$py" - "$dir" "$config" "$layers" "$seq" "$batch" "$r" "$threads" "$precision" "$device" "$peak" <<'PY'
import json, re, sys, os
d, config, layers, seq, batch, r, threads, precision, device, peak = sys.argv[1:]
seq, batch, r, peak = int(seq), int(batch), int(r), float(peak)
def rss(path):
    m = re.search(r'Maximum resident set size \(kbytes\): (\d+)', open(path).read())
    return int(m.group(1)) / 2**20 if m else float('nan')
rows = [json.loads(l) for l in open(os.path.join(d, 'out', 'metrics.jsonl')) if '"type":"step"' in l]
tail = rows[2:] if len(rows) > 3 else rows
tps = sum(x['tokens_per_second'] for x in tail) / len(tail)
dev_peak = max(x.get('device_peak_bytes', 0) for x in rows) / 2**30
dev_reserved = max(x.get('device_reserved_peak_bytes', 0) for x in rows) / 2**30
peft = json.loads(open(os.path.join(d, 'peft.json')).read().strip().splitlines()[-1])
cfg = json.load(open(os.path.join(d, 'model', 'config.json')))
C, I, V, L = cfg['hidden_size'], cfg['intermediate_size'], cfg['vocab_size'], cfg['num_hidden_layers']
H, Hkv = cfg['num_attention_heads'], cfg.get('num_key_value_heads', cfg['num_attention_heads'])
D = cfg.get('head_dim') or C // H
mods = [(C, H * D), (C, Hkv * D), (C, Hkv * D), (H * D, C), (C, I), (C, I), (I, C)]
n_matmul = L * sum(i * o for i, o in mods) + V * C
n_train = L * sum(r * (i + o) for i, o in mods)
flops = 4 * n_matmul + 6 * n_train + 6 * L * seq * C
est = re.search(r'total[^\n]*?([\d.]+) (GiB|MiB)', open(os.path.join(d, 'estimate.txt')).read())
est_gib = (float(est.group(1)) / (1 if est.group(2) == 'GiB' else 1024)) if est else float('nan')
o_rss, p_rss = rss(os.path.join(d, 'ours.time')), rss(os.path.join(d, 'peft.time'))
print(f"{os.path.basename(config)}{'' if layers == '0' else ' (' + layers + ' layers)'}, seq {seq}, batch {batch}, r {r}, "
      f"{precision}, {device}, {threads} threads, {len(rows)} steps (2 warm-up)")
print(f"  LoRA Studio        {tps:8.1f} tokens/s  peak RSS {o_rss:5.2f} GiB  estimate {est_gib:5.2f} GiB"
      + (f"  GPU peak allocated {dev_peak:.2f} GiB, reserved {dev_reserved:.2f} GiB  MFU {tps * flops / (peak * 1e12):.1%}" if device == 'cuda' else ''))
print(f"  transformers+PEFT  {peft['tokens_per_s']:8.1f} tokens/s  peak RSS {p_rss:5.2f} GiB"
      + (f"  GPU peak allocated {peft['peak_alloc_gib']:.2f} GiB, reserved {peft['peak_reserved_gib']:.2f} GiB  MFU {peft['mfu']:.1%}" if device == 'cuda' else '')
      + f"  ({peft['torch']})")
print(f"  ratio              speed x{tps / peft['tokens_per_s']:.2f}, peak RSS x{o_rss / p_rss:.2f}"
      + (f", GPU memory x{dev_peak / peft['peak_alloc_gib']:.2f}" if device == 'cuda' and peft['peak_alloc_gib'] else ''))
PY
