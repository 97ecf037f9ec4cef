#!/usr/bin/env bash
# A streamed data file (data.streaming: true) that is edited, or disappears, while an epoch reads it:
# training stops with an error that names the file and the line it was reading, and keeps the last
# checkpoint (it still loads). Without streaming the data is read at the start, so the run is not
# affected: that case must finish.
# Usage: test_data_change.sh CLI SOURCE_DIR
source "$(dirname "$0")/fault_lib.sh" "$@"
data="$src/resources/demo/instructions.jsonl"

# run_until_checkpoint NAME ACTION: start a 400-step streaming run, wait for its first checkpoint, apply
# ACTION to the data file, and return the run's output in $log and exit status in $rc.
run_with_change() { local name="$1" action="$2" streaming="${3:-true}"
  cp "$data" "$work/$name.jsonl"
  write_project "$work/$name.yaml" "$work/$name" 400 2 "$work/$name.jsonl" "$streaming"
  "$cli" train "$work/$name.yaml" --plain > "$work/$name.log" 2>&1 & local pid=$!
  for ((i = 0; i < 600; i++)); do [ -d "$work/$name/checkpoints/step-2" ] && break; sleep 0.1; done
  [ -d "$work/$name/checkpoints/step-2" ] || { kill -KILL $pid; fail "$name: no checkpoint after 60 s: $(tail -3 "$work/$name.log")"; }
  eval "$action"
  set +e; wait $pid; rc=$?; set -e
  log=$(cat "$work/$name.log")
  echo "$name: exit $rc; $(grep -F 'error:' <<<"$log" || echo 'no error')"
}

# Edited in place: a record's text changes (same length would still be caught by the modification time).
run_with_change edited "sed -i '1,40s/the/THE/' '$work/edited.jsonl'"
[ $rc -ne 0 ] || fail "edited: training finished on a data file edited mid-epoch"
expect "$log" "$work/edited.jsonl:"; expect "$log" "the data file changed during training"
grep -qE "edited\.jsonl:[0-9]+: " <<<"$log" || fail "edited: the error names no line"

# Deleted (the open handle could still read the old bytes: it must not carry on silently).
run_with_change deleted "rm '$work/deleted.jsonl'"
[ $rc -ne 0 ] || fail "deleted: training finished without its data file"
expect "$log" "$work/deleted.jsonl:"; expect "$log" "the data file disappeared during training"

# Truncated to half.
run_with_change truncated "truncate -s 20000 '$work/truncated.jsonl'"
[ $rc -ne 0 ] || fail "truncated: training finished on a truncated data file"
expect "$log" "$work/truncated.jsonl:"; expect "$log" "changed during training"

# The checkpoints of a stopped run are whole and load.
for d in "$work"/{edited,deleted,truncated}/checkpoints/step-*; do
  "$cli" export-adapter "$d" --out "$work/check/$(basename "$(dirname "$(dirname "$d")")")-$(basename "$d")" > /dev/null 2>"$work/err" \
    || fail "$d does not load: $(cat "$work/err")"
done
[ -z "$(temporaries "$work/edited")$(temporaries "$work/deleted")" ] || fail "half-written leftovers"

# Not streaming: the data was read at the start; an edit does not touch the run (40 steps).
cp "$data" "$work/mem.jsonl"; write_project "$work/mem.yaml" "$work/mem" 40 2 "$work/mem.jsonl" false
"$cli" train "$work/mem.yaml" --plain > "$work/mem.log" 2>&1 & pid=$!
for ((i = 0; i < 600; i++)); do [ -d "$work/mem/checkpoints/step-2" ] && break; sleep 0.1; done
rm "$work/mem.jsonl"
wait $pid || fail "in-memory data: the run failed after its file was removed: $(tail -3 "$work/mem.log")"
echo "data file changing during a streaming epoch: passed"
