#!/usr/bin/env bash
# Sequence packing against padded batches: the demo project trained for the same number of steps
# with data.packing false, then true, back to back, on the demo's instructions and on plain text
# records of mixed lengths (10 to 240 words); prints the padding share, tokens/s and trained
# tokens/s (tokens whose label counts) of each and the ratio.
#   bench/run_packing_bench.sh [CLI] [STEPS] [MAX_LENGTH]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="${1:-$root/build/app/lorastudio-cli}"; steps="${2:-30}"; len="${3:-256}"
work="$(mktemp -d /tmp/lorastudio-packing-XXXXXX)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/resources/demo/model" "$root/resources/demo/instructions.jsonl" "$work/"
python3 - "$work/mixed.jsonl" <<'PY'
import json, random, sys
rng = random.Random(0)
words = 'the cat dog sees a small red ball and runs to the garden where birds sing'.split()
with open(sys.argv[1], 'w') as fh:
    for _ in range(250):
        fh.write(json.dumps({'text': ' '.join(rng.choice(words) for _ in range(rng.randint(10, 240)))}) + '\n')
PY
for data in instructions mixed; do
  for packing in false true; do
    sed -e "s/^  max_steps: .*/  max_steps: $steps/" -e "s/^  streaming: false/  streaming: false\n  packing: $packing/" \
        -e "s/^  max_length: .*/  max_length: $len/" -e "s/^  eval_every: .*/  eval_every: 0/" \
        -e "s/^  analysis_every: .*/  analysis_every: 0/" -e "s/^  validation: .*/  validation: 0/" \
        -e "s/instructions.jsonl/$data.jsonl/" "$root/resources/demo/demo.yaml" >"$work/$data-$packing.yaml"
    "$cli" train "$work/$data-$packing.yaml" --plain --output "$work/out-$data-$packing" >"$work/log" 2>&1 ||
      { tail -5 "$work/log" >&2; exit 1; }
  done
done
python3 - "$work" "$steps" "$len" <<'PY'
import json, sys
work, steps, length = sys.argv[1], sys.argv[2], sys.argv[3]
print(f"GPT-2 demo model, batch 8, max_length {length}, {steps} steps each (3 warm-up left out)")
for data, title in (('instructions', "the demo's instructions (completion-only loss)"), ('mixed', 'text records of 10-240 words')):
    res = {}
    for p in ('false', 'true'):
        rows = [json.loads(l) for l in open(f'{work}/out-{data}-{p}/metrics.jsonl') if '"type":"step"' in l][3:]
        secs = sum(r['tokens'] / r['tokens_per_second'] for r in rows)
        res[p] = dict(tps=sum(r['tokens'] for r in rows) / secs, trained=sum(r['trained_tokens'] for r in rows) / secs,
                      pad=1 - sum(r['tokens'] for r in rows) / sum(r['padded_tokens'] for r in rows))
    print(f"  {title}")
    for p, name in (('false', 'padded'), ('true', 'packed')):
        r = res[p]
        print(f"    {name:7s} padding {r['pad']:6.1%}  {r['tps']:8.0f} tokens/s  {r['trained']:8.0f} trained tokens/s")
    print(f"    packed / padded: trained tokens/s x{res['true']['trained'] / res['false']['trained']:.2f}")
PY
