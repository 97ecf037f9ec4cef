#!/usr/bin/env bash
# CI's bounded fuzz run: builds the libFuzzer harnesses (clang-14, ASan + UBSan, build-fuzz/), replays
# the committed regression inputs, then runs each harness for SECONDS (default 30) with its seed
# corpus and dictionary, one after another on one core. Exits non-zero when any harness finds a
# crash, leak, UB report, timeout (> 20 s on one input) or OOM (> 2.5 GB), and prints what it found.
#   tests/fuzz/run_fuzzers.sh [SECONDS]
#   FUZZ_TORCH=0: only the five LibTorch-free harnesses; FUZZ_TORCH=io: those and safetensors
# Needs: clang-14 libclang-rt-14-dev (plus the project's build dependencies: cmake, LibTorch,
# yaml-cpp, nlohmann-json, pcre2, utf8proc).
source "$(dirname "$0")/fuzz_common.sh"
SECONDS_EACH="${1:-30}"
start=$(date +%s)
fuzz_build
built=$(date +%s)
echo "fuzz: built in $((built - start)) s"
failed=()
printf '%-14s %10s %8s %8s  %s\n' harness inputs cov ft result
for h in "${HARNESSES[@]}"; do
    log="$BUILD/run_$h.log"
    if ! fuzz_replay "$h"; then failed+=("$h(regression)"); continue; fi
    status=ok
    fuzz_run "$h" "$log" -max_total_time="$SECONDS_EACH" || status=FAILED
    read -r cov ft <<< "$(fuzz_cov_end "$log")" || true
    printf '%-14s %10s %8s %8s  %s\n' "$h" "$(fuzz_runs "$log")" "${cov:-?}" "${ft:-?}" "$status"
    if [ "$status" != ok ]; then
        failed+=("$h")
        grep -E 'ERROR: |FINDING|SUMMARY: |runtime error|Test unit written|ALARM|out-of-memory' "$log" | head -20 >&2 || true
    fi
done
echo "fuzz: $(( $(date +%s) - start )) s in all"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (logs: $BUILD/run_<harness>.log, inputs: $BUILD/artifacts/)" >&2
    exit 1
fi
echo "fuzz: no findings"
