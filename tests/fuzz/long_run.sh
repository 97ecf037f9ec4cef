#!/usr/bin/env bash
# Long fuzzing: each harness for N_MILLION million inputs (libFuzzer -runs=), one after another on
# one core, keeping the corpus in build-fuzz/corpus/ between runs. Prints per harness the inputs run,
# coverage at the start (the seeds) and at the end (cov = edges, ft = features) and any finding; a
# finding's input lands in build-fuzz/artifacts/<harness>/ and the run goes on with the next harness.
#   tests/fuzz/long_run.sh N_MILLION        (0.5 for half a million; FUZZ_ONLY="gguf data" for some)
source "$(dirname "$0")/fuzz_common.sh"
N="${1:?usage: long_run.sh N_MILLION}"
RUNS=$(awk -v n="$N" 'BEGIN { printf "%d", n * 1000000 }')
fuzz_build
status=0
printf '%-14s %10s %8s %14s %14s %8s  %s\n' harness inputs seconds "cov start>end" "ft start>end" exec/s findings
for h in "${HARNESSES[@]}"; do
    log="$BUILD/long_$h.log"
    t0=$(date +%s)
    rc=0
    fuzz_run "$h" "$log" -runs="$RUNS" ${FUZZ_LONG_OPTS:-} || rc=$?
    t=$(( $(date +%s) - t0 ))
    read -r c0 f0 <<< "$(fuzz_cov_start "$log")" || true
    read -r c1 f1 <<< "$(fuzz_cov_end "$log")" || true
    runs=$(fuzz_runs "$log")
    found=none
    if [ "$rc" != 0 ]; then
        status=1
        found=$(grep -m1 -oE 'ERROR: [A-Za-z]+: [a-z-]+|FINDING[^\n]{0,60}|runtime error: [^\n]{0,60}|ALARM|out-of-memory' "$log" || echo "rc $rc")
    fi
    printf '%-14s %10s %8s %14s %14s %8s  %s\n' "$h" "${runs:-?}" "$t" "${c0:-?}>${c1:-?}" "${f0:-?}>${f1:-?}" \
        "$(( ${runs:-0} / (t > 0 ? t : 1) ))" "$found"
done
exit $status
