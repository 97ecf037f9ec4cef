#!/usr/bin/env bash
# The catalogue of bad inputs, machine-checked. docs/errors.md is the single source: for each case
# (### `id`) it gives the command (Run), the exit status, the message and the hint the user sees.
# This runner parses that file, builds the case's bad input with tests/errors/cases/<id>/setup.sh in a
# fresh scratch folder, runs the documented command against this build's CLI, and checks that the
# output holds the documented message (a '…' in it stands for any text, e.g. a temporary path) and
# "hint: <hint>", that the exit status is the documented one, and that nothing crashed.
# It fails when a documented case has no setup.sh, a setup.sh has no documented case, or the
# catalogue holds fewer than 40 cases.
# Usage: run_catalogue.sh CLI SOURCE_DIR FIXTURES_DIR [ID...]   (IDs: run only those)
set -uo pipefail
cli="$(realpath "$1")"; src="$(realpath "$2")"; fixtures="$(realpath "$3")"; shift 3
only=("$@")
doc="$src/docs/errors.md"; cases="$src/tests/errors/cases"
[ -f "$doc" ] || { echo "FAIL: $doc is missing"; exit 1; }
scratch="$(mktemp -d)"; trap 'rm -rf "$scratch"' EXIT

# One record a case: id <TAB> exit <TAB> run <TAB> message <TAB> hint.
awk -v OFS='\t' '
function flush() {
    if (id != "") {
        if (ex == "" || run == "" || msg == "" || hint == "") { print "BROKEN", id; }
        else print id, ex, run, msg, hint
    }
    id = ""; ex = ""; run = ""; msg = ""; hint = ""
}
function ticked(line) { sub(/^[^`]*`/, "", line); sub(/`[^`]*$/, "", line); return line }
/^### / { flush(); if (match($0, /`[a-z0-9][a-z0-9-]*`/)) id = substr($0, RSTART + 1, RLENGTH - 2); next }
id != "" && /^- \*\*Run:\*\*/     { run = ticked($0) }
id != "" && /^- \*\*Exit:\*\*/    { ex = $0; sub(/^- \*\*Exit:\*\* */, "", ex); sub(/[^0-9].*$/, "", ex) }
id != "" && /^- \*\*Message:\*\*/ { msg = ticked($0) }
id != "" && /^- \*\*Hint:\*\*/    { hint = ($0 ~ /`/) ? ticked($0) : "none" }
END { flush() }' "$doc" > "$scratch/catalogue.tsv"

failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
if grep -q '^BROKEN' "$scratch/catalogue.tsv"; then
    grep '^BROKEN' "$scratch/catalogue.tsv" | while IFS=$'\t' read -r _ id; do
        echo "FAIL: $id in docs/errors.md lacks Run, Exit, Message or Hint"; done
    exit 1
fi
count=$(wc -l < "$scratch/catalogue.tsv")
[ "$count" -ge 40 ] || fail "docs/errors.md holds $count cases; the catalogue needs at least 40"
dups=$(cut -f1 "$scratch/catalogue.tsv" | sort | uniq -d)
[ -z "$dups" ] || fail "ids documented twice: $dups"
for d in "$cases"/*/; do
    id=$(basename "$d")
    cut -f1 "$scratch/catalogue.tsv" | grep -qxF "$id" || fail "tests/errors/cases/$id has no case in docs/errors.md"
done

# The documented command runs with `lorastudio-cli` meaning this build's CLI.
lorastudio-cli() { "$cli" "$@"; }
export -f lorastudio-cli; export cli

# Whether $1 holds the pieces of $2 (split at '…') in order.
holds() {
    local rest="$1" pattern="$2" piece
    while :; do
        piece="${pattern%%…*}"
        [[ "$rest" == *"$piece"* ]] || return 1
        rest="${rest#*"$piece"}"
        [[ "$pattern" == *…* ]] || return 0
        pattern="${pattern#*…}"
    done
}

# One case: its report on stdout, and a FAIL line for each problem.
run_case() {
    local id="$1" ex="$2" run="$3" msg="$4" hint="$5"
    local setup="$cases/$id/setup.sh" work="$scratch/$id" t0=$SECONDS out rc
    if [ ! -f "$setup" ]; then echo "FAIL: $id: documented in docs/errors.md but tests/errors/cases/$id/setup.sh is missing"; return; fi
    mkdir -p "$work"
    if ! out=$(cd "$work" && SRC="$src" FIX="$fixtures" CLI="$cli" bash "$setup" 2>&1); then
        echo "FAIL: $id: setup.sh failed"; echo "$out" | sed 's/^/  | /' | tail -n 15; return
    fi
    out=$(cd "$work" && timeout 300 bash -c "$run" 2>&1 < /dev/null); rc=$?
    local problems=()
    [ "$rc" = "$ex" ] || problems+=("exit status $rc, documented $ex")
    holds "$out" "$msg" || problems+=("message not shown: $msg")
    [ "$hint" = "none" ] || holds "$out" "hint: $hint" || problems+=("hint not shown: $hint")
    if [ "$rc" -ge 124 ] || grep -qE 'terminate called|Segmentation fault|AddressSanitizer|runtime error:|Traceback' <<<"$out"; then
        problems+=("crashed or timed out")
    fi
    if [ ${#problems[@]} -eq 0 ]; then
        echo "ok   $id ($((SECONDS - t0)) s)"
    else
        echo "FAIL: $id: $(printf '%s; ' "${problems[@]}")"
        echo "  run: $run"; echo "$out" | sed 's/^/  | /' | tail -n 15
    fi
    rm -rf "$work"
}

# Cases run side by side (each one starts the CLI, whose start-up dominates); reports in doc order.
jobs=${LORASTUDIO_CATALOGUE_JOBS:-$(( $(nproc) + 1 ))}
start=$SECONDS
ran=()
while IFS=$'\t' read -r id ex run msg hint; do
    if [ ${#only[@]} -gt 0 ] && ! printf '%s\n' "${only[@]}" | grep -qxF "$id"; then continue; fi
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    run_case "$id" "$ex" "$run" "$msg" "$hint" > "$scratch/$id.report" 2>&1 &
    ran+=("$id")
done < "$scratch/catalogue.tsv"
wait
for id in "${ran[@]}"; do
    cat "$scratch/$id.report"
    failed=$((failed + $(grep -c '^FAIL' "$scratch/$id.report")))
done

echo "catalogue: $count cases, ${#ran[@]} run, $failed failure(s), $((SECONDS - start)) s"
[ "$failed" -eq 0 ]
