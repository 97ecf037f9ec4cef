#!/usr/bin/env bash
# SIGKILL in the middle of writing (the LD_PRELOAD shim kills the process after a seeded random
# number of bytes) during `merge`, `export-adapter` and a project save (`analyze --suggest-ranks
# --write`): no file or folder exists at the final name unless complete (a project keeps its old
# bytes), leftovers carry a temporary name, and the next run of the same command removes them.
# Usage: test_kill_writes.sh CLI SOURCE_DIR
source "$(dirname "$0")/fault_lib.sh" "$@"

# A trained checkpoint to export and merge (3 steps).
write_project "$work/p.yaml" "$work/run" 3 3
"$cli" train "$work/p.yaml" --plain > "$work/train.log" 2>&1 || { cat "$work/train.log"; fail "training failed"; }
ckpt="$work/run/checkpoints/step-3"
"$cli" export-adapter "$ckpt" --out "$work/ref-peft" > /dev/null
"$cli" merge "$demo" "$work/ref-peft" --out "$work/ref-merged" > /dev/null
bytes_in() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }'; }
# The shim counts write() calls; merge copies the tokenizer files with copy_file (the kernel's
# copy, not counted), so a kill point is drawn within the weights it writes (seed 63170 drew one
# past everything write() sees).
adapter_bytes=$(bytes_in "$work/ref-peft"); merged_bytes=$(stat -c %s "$work/ref-merged/model.safetensors")

# kill_at NAME BYTES_TOTAL CMD...: kill CMD after a random share of BYTES_TOTAL written under $work/x;
# asserts it was killed and that $work/x/NAME is absent or a leftover carries a temporary name.
kill_at() { local name="$1" total="$2"; shift 2
  local after=$(( RANDOM * total / 32768 ))
  rm -rf "$work/x"; mkdir -p "$work/x"
  set +e; with_fault "$work/x/" "$after" kill "$@" > /dev/null 2>"$work/err"; local rc=$?; set -e
  [ $rc -eq 137 ] || fail "$name: expected a SIGKILL after $after bytes, exit $rc: $(cat "$work/err")"
  [ ! -e "$work/x/$name" ] || fail "$name exists after a kill at byte $after of ~$total"
  local other; other=$(ls -A "$work/x" | grep -v -- "^\.$name\.tmp-" || true)
  [ -z "$other" ] || fail "$name: a kill at byte $after left files without a temporary name: $other"
  echo "$name: killed after $after of ~$total bytes; leftovers: $(ls -A "$work/x" | tr '\n' ' ')"
}

for round in 1 2; do
  kill_at peft "$adapter_bytes" "$cli" export-adapter "$ckpt" --out "$work/x/peft"
  # The next export cleans the dead process's staging folder and writes the same bytes.
  "$cli" export-adapter "$ckpt" --out "$work/x/peft" > /dev/null
  diff -r "$work/ref-peft" "$work/x/peft" > /dev/null || fail "export-adapter after a kill differs from the reference"
  [ -z "$(ls -A "$work/x" | grep -v '^peft$')" ] || fail "export-adapter left $(ls -A "$work/x") behind"

  kill_at merged "$merged_bytes" "$cli" merge "$demo" "$work/ref-peft" --out "$work/x/merged"
  "$cli" merge "$demo" "$work/ref-peft" --out "$work/x/merged" > /dev/null
  cmp "$work/ref-merged/model.safetensors" "$work/x/merged/model.safetensors" || fail "merge after a kill differs"
  [ -z "$(ls -A "$work/x" | grep -v '^merged$')" ] || fail "merge left $(ls -A "$work/x") behind"
done

# Project save: the old project keeps its bytes; the killed writer's temporary file goes with the next save.
mkdir -p "$work/proj"; write_project "$work/proj/project.yaml" "$work/run" 3 3
cp "$work/proj/project.yaml" "$work/orig.yaml"
size=$(stat -c %s "$work/orig.yaml")
for round in 1 2 3; do
  after=$(( RANDOM * size / 32768 ))
  set +e; with_fault "$work/proj/project.yaml" "$after" kill \
    "$cli" analyze "$work/ref-peft" --suggest-ranks 0.9 --write "$work/proj/project.yaml" > /dev/null 2>"$work/err"; rc=$?; set -e
  [ $rc -eq 137 ] || fail "project save: expected a SIGKILL after $after bytes, exit $rc: $(cat "$work/err")"
  cmp "$work/orig.yaml" "$work/proj/project.yaml" || fail "project.yaml changed by a save killed after $after bytes"
  left=$(ls -A "$work/proj" | grep -v '^project\.yaml$' || true)
  [ -n "$left" ] && ! grep -qv '^project\.yaml\.tmp-' <<<"$left" || fail "project save leftovers: $left"
  echo "project save: killed after $after of ~$size bytes; leftover: $left"
done
"$cli" analyze "$work/ref-peft" --suggest-ranks 0.9 --write "$work/proj/project.yaml" > /dev/null 2>"$work/err" \
  || fail "the save after the kills failed: $(cat "$work/err")"
expect "$(cat "$work/proj/project.yaml")" "rank_pattern"
[ "$(ls -A "$work/proj")" = "project.yaml" ] || fail "stale temporary files not cleaned: $(ls -A "$work/proj")"
"$cli" estimate "$work/proj/project.yaml" > /dev/null || fail "the saved project does not load"
echo "kill during merge, export-adapter and project save: passed"
