#!/usr/bin/env bash
# Out of memory: under an address-space limit (prlimit --as, as `ulimit -v` sets it) a run whose
# estimate cannot fit ends, well within a timeout (no hang), with an out-of-memory error that carries
# the estimate's advice (the same suggestions `estimate --json` lists) and writes no checkpoint,
# adapter or half file. A run that fits still trains under the same limit.
# Usage: test_oom.sh CLI SOURCE_DIR
source "$(dirname "$0")/fault_lib.sh" "$@"
command -v prlimit > /dev/null || skip "prlimit (util-linux) is not installed"
limit=$((1536 * 1024 * 1024))   # 1.5 GiB: LibTorch and the demo model start in ~0.8 GiB of address space

# 256 examples a step on the demo model: the estimate is ~4 GiB. Sized as train sizes it before its
# first step: for the data's longest example (estimate --data).
write_project "$work/big.yaml" "$work/big" 3 1
sed -i 's/batch_size: 4/batch_size: 256/' "$work/big.yaml"
est=$("$cli" estimate "$work/big.yaml" --data --json)
total=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["memory_bytes"]["total"])' <<<"$est")
first=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["suggestions"][0])' <<<"$est")
[ "$total" -gt "$limit" ] || fail "the big project's estimate ($total bytes) fits under the limit: the test proves nothing"
echo "estimate: $total bytes; first suggestion: $first"

set +e; log=$(timeout 180 prlimit --as=$limit "$cli" train "$work/big.yaml" --plain 2>&1); rc=$?; set -e
echo "$log" | grep -F "error:" || echo "$log" | tail -5
[ $rc -ne 124 ] || fail "the run hung under the memory limit"
[ $rc -ne 0 ] || fail "a run estimated at $total bytes trained under a $limit-byte limit"
expect "$log" "out of memory"
expect "$log" "ulimit -v"
expect "$log" "$first"
expect "$log" "tokens (the data's longest example)"
[ ! -e "$work/big/checkpoints" ] || [ -z "$(ls -A "$work/big/checkpoints")" ] || fail "checkpoints written: $(ls -A "$work/big/checkpoints")"
[ ! -e "$work/big/adapter" ] || fail "an adapter was written by a run that did not fit"
[ -z "$(temporaries "$work")" ] || fail "half-written leftovers: $(temporaries "$work")"

# The same limit lets the demo-sized run train (the check is not a blanket refusal).
write_project "$work/small.yaml" "$work/small" 2 2
set +e; log=$(timeout 180 prlimit --as=$limit "$cli" train "$work/small.yaml" --plain 2>&1); rc=$?; set -e
[ $rc -eq 0 ] || fail "a small run failed under the limit (exit $rc): $(tail -5 <<<"$log")"
expect "$log" "completed after 2/2 steps"
echo "out of memory under a limit: passed"
