#!/usr/bin/env bash
# LoRA training side by side: lorastudio-cli, then transformers + PEFT, on a random-weight model
# built from a real config.json, with the same shape, sequence, batch, r, targets (all 7
# projections), threads and steps, back to back in one run. Prints tokens/s and peak RSS of both
# (CUDA: also the peak allocated memory, the estimate and MFU with the 4N accounting) and the ratios.
#
#   bench/peer/run_peer_bench.sh [--config DIR] [--layers N] [--seq 256] [--batch 4] [--r 16]
#        [--steps 6] [--threads N] [--precision fp32|bf16] [--device cpu|cuda] [--packing] [--dpo]
#        [--cli build/app/lorastudio-cli] [--work /tmp/lorastudio-bench] [--peak-tflops 989]
#
# The reference: python3 with transformers and peft importable (a CUDA machine), else Debian 12's
# python3-torch with the pinned sources of ../shared/peer (see its README; /tmp/peer/src).
#
# --dpo: DPO instead (training.objective dpo, beta 0.1, sigmoid; --batch = pairs per step, 2 x batch
# rows) against TRL's own DPOTrainer code (bench/peer/dpo_peer.py: the policy pass, the reference pass
# with the adapters off under no_grad, dpo_loss, backward, AdamW). The data: pairs-sSEQ.jsonl next to
# the model, TRL's plain-string layout {"prompt", "chosen", "rejected"} made from data.jsonl's words,
# the prompt exactly seq/2 tokens with the BOS (the model's tokenizer, through lorastudio-cli
# tokenize) and each answer long enough that prompt + answer runs past seq, so that after truncation
# (keeping the start) every row is seq tokens, half of them trained; checked from metrics.jsonl.
# Needs trl beside transformers and peft (0.7.x-0.11.x natively; here trl v0.7.11 in /tmp/peer_trl/src,
# see tests/fixtures/dpo/README.md). Its files: bench-dpo.yaml, out-dpo/, *-dpo.log|time|json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${LORASTUDIO_SHARED:-$root/../shared}"
config="$shared/peer/configs/smollm2-135m"; layers=0; seq=256; batch=4; r=16; steps=6; threads=""
precision=""; device=cpu; cli="$root/build/app/lorastudio-cli"; work=/tmp/lorastudio-bench; peak=989
packing=0; dpo=0
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config=$2; shift 2 ;; --layers) layers=$2; shift 2 ;; --seq) seq=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;; --r) r=$2; shift 2 ;; --steps) steps=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;; --precision) precision=$2; shift 2 ;; --device) device=$2; shift 2 ;;
    --cli) cli=$2; shift 2 ;; --work) work=$2; shift 2 ;; --peak-tflops) peak=$2; shift 2 ;;
    --packing) packing=1; shift ;; --dpo) dpo=1; shift ;;
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
tag=""; data="{path: data.jsonl, format: text, max_length: $seq, completion_only_loss: false, shuffle: false, packing: $(if [ $packing = 1 ]; then echo true; else echo false; fi)}"
objective=""
if [ $dpo = 1 ]; then
  [ $packing = 0 ] || { echo "--dpo: DPO rows are not packed (leave out --packing)" >&2; exit 2; }
  tag=-dpo; objective="objective: dpo, dpo_beta: 0.1, dpo_loss: sigmoid, "
  data="{path: pairs-s$seq.jsonl, format: preference, max_length: $seq, shuffle: false, packing: false}"
  # Preference pairs from data.jsonl's words: the prompt exactly seq/2 tokens with the tokenizer's BOS
  # (LoRA Studio encodes the prompt and each answer on their own, then an EOS; truncation keeps the
  # start), each answer at least seq - seq/2 + 8 words (every word is at least one token).
  "$py" - "$dir" "$seq" $((batch * steps)) "$cli" <<'PY' || exit 1
import json, os, subprocess, sys
d, seq, need, cli = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def tok(text, special=False):
    out = subprocess.run([cli, 'tokenize', os.path.join(d, 'model')] + (['--special'] if special else []),
                         input=text.encode(), capture_output=True, check=True).stdout
    return json.loads(out)
stream = [w for l in open(os.path.join(d, 'data.jsonl')) for w in json.loads(l)['text'].split()]
vocab = sorted(set(stream))
bos = len(tok('the', True)) - len(tok('the'))  # the ids the tokenizer puts in front of a text
joined = tok(' '.join(vocab))
cost = {w: 1 for w in vocab} if len(joined) == len(vocab) else {w: len(tok(w)) for w in vocab}
one = next((w for w in vocab if cost[w] == 1), None)
P = seq // 2
pos = 0
def take(n):
    global pos
    out = [stream[(pos + i) % len(stream)] for i in range(n)]
    pos += n
    return out
pairs = []
for _ in range(max(64, need)):
    words, n = [], bos
    while n < P:
        w = take(1)[0]
        if n + cost[w] > P:
            if one is None: break
            w = one
        words.append(w); n += cost[w]
    prompt = ' '.join(words)
    chosen, rejected = (' '.join(take(seq - P + 8)) for _ in range(2))
    pairs.append({'prompt': prompt, 'chosen': chosen, 'rejected': rejected})
with open(os.path.join(d, f'pairs-s{seq}.jsonl'), 'w') as fh:
    for x in pairs: fh.write(json.dumps(x) + '\n')
# The whole strings of the first pair, tokenized as LoRA Studio does (segment by segment)
p0 = bos + len(tok(pairs[0]['prompt']))
c0, r0 = (len(tok(pairs[0][k])) for k in ('chosen', 'rejected'))
print(f"pairs-s{seq}.jsonl: {len(pairs)} pairs; pair 0: prompt {p0} tokens (BOS included), chosen {c0}, rejected {r0} "
      f"-> rows of {min(seq, p0 + c0 + 1)} / {min(seq, p0 + r0 + 1)} tokens, {seq - p0} trained each", file=sys.stderr)
if p0 != P or p0 + min(c0, r0) < seq:
    sys.exit(f"pairs-s{seq}.jsonl: pair 0 has a prompt of {p0} tokens (wanted {P}) or an answer too short")
PY
fi
cat >"$dir/bench$tag.yaml" <<YAML
version: 1
base_model: model
output_dir: out$tag
lora: {target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj], r: $r, lora_alpha: $((2 * r)), lora_dropout: 0}
data: $data
training: {${objective}max_steps: $steps, batch_size: $batch, lr: 1e-4, schedule: constant, warmup_steps: 0, warmup_ratio: 0,
  max_grad_norm: 0, precision: $precision, eval_every: 0, save_every: 0, logging_every: 1, analysis_every: 0,
  device: $device, threads: $threads, save_total_limit: 1}
YAML
rm -rf "$dir/out$tag"
# measured CMD...: runs CMD with its peak RSS on stderr in GNU time's words (GNU time where there
# is one; a GPU machine's image may lack it, then Python's getrusage of the child).
measured() {
  if [ -x /usr/bin/time ]; then /usr/bin/time -v "$@"; return; fi
  "$py" -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:])
print("Maximum resident set size (kbytes): %d" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(rc)' "$@"
}
load_ours=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
OMP_NUM_THREADS=$threads measured "$cli" train "$dir/bench$tag.yaml" --plain >"$dir/ours$tag.log" 2>"$dir/ours$tag.time" ||
  { tail -5 "$dir/ours$tag.log" "$dir/ours$tag.time" >&2; exit 1; }
"$cli" estimate "$dir/bench$tag.yaml" >"$dir/estimate$tag.txt" 2>&1 || true

# The reference: natively importable transformers + peft, else the pinned sources through ../shared/peer.
if [ $dpo = 1 ]; then
  if "$py" -c 'import transformers, peft, trl' 2>/dev/null; then ref=("$py" "$here/dpo_peer.py")
  else ref=(/usr/bin/python3 "$here/dpo_peer.py" --peer "$shared/peer"); fi
  ref+=(--beta 0.1)
elif "$py" -c 'import transformers, peft' 2>/dev/null; then ref=("$py" "$shared/peer/peft_bench.py")
else ref=(/usr/bin/python3 "$shared/peer/peft_cpu.py"); fi
load_ref=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
OMP_NUM_THREADS=$threads measured "${ref[@]}" "$dir/model" --seq "$seq" --batch "$batch" --r "$r" \
  --dtype "$precision" --attn "$attn" --steps $((steps - 2)) --warmup 2 --peak-tflops "$peak" >"$dir/peft$tag.json" 2>"$dir/peft$tag.time" ||
  { tail -5 "$dir/peft$tag.time" >&2; exit 1; }

LOADS="$load_ours $load_ref" "$py" - "$dir" "$config" "$layers" "$seq" "$batch" "$r" "$threads" "$precision" "$device" "$peak" "$tag" <<'PY'
import json, re, sys, os
d, config, layers, seq, batch, r, threads, precision, device, peak, tag = sys.argv[1:]
seq, batch, r, peak = int(seq), int(batch), int(r), float(peak)
dpo = tag == '-dpo'
def rss(path):
    m = re.search(r'Maximum resident set size \(kbytes\): (\d+)', open(path).read())
    return int(m.group(1)) / 2**20 if m else float('nan')
rows = [json.loads(l) for l in open(os.path.join(d, 'out' + tag, 'metrics.jsonl')) if '"type":"step"' in l]
tail = rows[2:] if len(rows) > 3 else rows
tps = sum(x['tokens_per_second'] for x in tail) / len(tail)
dev_peak = max(x.get('device_peak_bytes', 0) for x in rows) / 2**30
dev_reserved = max(x.get('device_reserved_peak_bytes', 0) for x in rows) / 2**30
peft = json.loads(open(os.path.join(d, 'peft' + tag + '.json')).read().strip().splitlines()[-1])
cfg = json.load(open(os.path.join(d, 'model', 'config.json')))
C, I, V, L = cfg['hidden_size'], cfg['intermediate_size'], cfg['vocab_size'], cfg['num_hidden_layers']
H, Hkv = cfg['num_attention_heads'], cfg.get('num_key_value_heads', cfg['num_attention_heads'])
D = cfg.get('head_dim') or C // H
mods = [(C, H * D), (C, Hkv * D), (C, Hkv * D), (H * D, C), (C, I), (C, I), (I, C)]
n_matmul = L * sum(i * o for i, o in mods) + V * C
n_train = L * sum(r * (i + o) for i, o in mods)
flops = 4 * n_matmul + 6 * n_train + 6 * L * seq * C
if dpo:  # per row token: the policy pass as above plus the reference forward (2N, attention 2*L*seq*C)
    flops += 2 * n_matmul + 2 * L * seq * C
est = re.search(r'total[^\n]*?([\d.]+) (GiB|MiB)', open(os.path.join(d, 'estimate' + tag + '.txt')).read())
est_gib = (float(est.group(1)) / (1 if est.group(2) == 'GiB' else 1024)) if est else float('nan')
o_rss, p_rss = rss(os.path.join(d, 'ours' + tag + '.time')), rss(os.path.join(d, 'peft' + tag + '.time'))
if dpo:  # every row exactly seq tokens (no padding), seq - seq/2 of them trained, as in the reference
    want = (2 * batch * seq, 2 * batch * seq, 2 * batch * (seq - seq // 2))
    off = [(x['step'], x['tokens'], x['padded_tokens'], x['trained_tokens']) for x in rows
           if (x['tokens'], x['padded_tokens'], x['trained_tokens']) != want]
    if off:
        print(f"WARNING: LoRA Studio's DPO rows are not the reference's shapes: (tokens, padded, trained) per step "
              f"should be {want}; (step, tokens, padded, trained): {off}")
print(f"{os.path.basename(config)}{'' if layers == '0' else ' (' + layers + ' layers)'}, "
      + (f"DPO, seq {seq}, batch {batch} pairs ({2 * batch} rows), " if dpo else f"seq {seq}, batch {batch}, ")
      + f"r {r}, {precision}, {device}, {threads} threads, {len(rows)} steps (2 warm-up)")
print(f"  LoRA Studio        {tps:8.1f} tokens/s  peak RSS {o_rss:5.2f} GiB  estimate {est_gib:5.2f} GiB"
      + (f"  GPU peak allocated {dev_peak:.2f} GiB, reserved {dev_reserved:.2f} GiB  MFU {tps * flops / (peak * 1e12):.1%}" if device == 'cuda' else ''))
print(f"  {'TRL+PEFT' if dpo else 'transformers+PEFT':17s}  {peft['tokens_per_s']:8.1f} tokens/s  peak RSS {p_rss:5.2f} GiB"
      + (f"  GPU peak allocated {peft['peak_alloc_gib']:.2f} GiB, reserved {peft['peak_reserved_gib']:.2f} GiB  MFU {peft['mfu']:.1%}" if device == 'cuda' else '')
      + (f"  (torch {peft['torch']}, trl {peft['trl']}, {peft['imports']})" if dpo else f"  ({peft['torch']})"))
print(f"  ratio              speed x{tps / peft['tokens_per_s']:.2f}, peak RSS x{o_rss / p_rss:.2f}"
      + (f", GPU memory x{dev_peak / peft['peak_alloc_gib']:.2f}" if device == 'cuda' and peft['peak_alloc_gib'] else ''))
if dpo and device == 'cpu':  # a 2-core machine shared with builds: say how much CPU each run got
    def cpu(path):
        m = re.search(r'Percent of CPU this job got: (\d+)%', open(path).read())
        return m.group(1) + '%' if m else '?'
    lo, lr = (os.environ.get('LOADS', '? ?').split() + ['?', '?'])[:2]
    print(f"  CPU use            LoRA Studio {cpu(os.path.join(d, 'ours' + tag + '.time'))}, TRL+PEFT "
          f"{cpu(os.path.join(d, 'peft' + tag + '.time'))} (of {100 * int(threads)}%); 1-min load average "
          f"before each: {lo}, {lr}")
PY
