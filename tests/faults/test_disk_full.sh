#!/usr/bin/env bash
# A full disk while writing a checkpoint and an export: a clear error that names the file and says the
# disk is full, the previous checkpoint intact (a resume from it ends bit-identical to a run that never
# failed), and no half-written file or folder. Two ways to fill the disk: the LD_PRELOAD shim (ENOSPC
# from a chosen write on; any user) always, and a real tmpfs filled nearly full when the test can mount
# one (root): there the free-space check before each checkpoint stops step-4.
# Usage: test_disk_full.sh CLI SOURCE_DIR
source "$(dirname "$0")/fault_lib.sh" "$@"

write_project "$work/ref.yaml" "$work/ref" 6 2
"$cli" train "$work/ref.yaml" --plain > "$work/ref.log" 2>&1 || { cat "$work/ref.log"; fail "the reference run failed"; }

# check_failed_checkpoint OUT LOG: step-2 whole, no step-4 and no temporary leftover, and the message.
check_failed_checkpoint() { local out="$1" log="$2" how="$3"
  expect "$log" "checkpoints/step-4: cannot write the checkpoint"
  expect "$log" "the disk is full"
  expect "$log" "checkpoints/step-2 is intact"
  [ ! -e "$out/checkpoints/step-4" ] || fail "$how: a step-4 folder exists after the disk filled"
  [ -z "$(temporaries "$out")" ] || fail "$how: half-written leftovers: $(temporaries "$out")"
  safetensors_whole "$out"/checkpoints/step-2/*.safetensors || fail "$how: step-2 is not whole"
  cmp "$work/ref/checkpoints/step-2/adapter_model.safetensors" "$out/checkpoints/step-2/adapter_model.safetensors" \
    || fail "$how: step-2 differs from the reference run's"
}

# 1. Shim: every write into the step-4 checkpoint's temporary folder fails with ENOSPC.
write_project "$work/p.yaml" "$work/run" 6 2
set +e; log=$(with_fault "/.tmp-step-4-" 0 enospc "$cli" train "$work/p.yaml" --plain 2>&1); rc=$?; set -e
[ $rc -ne 0 ] || fail "training went on with a full disk"
echo "$log" | grep -F "error:" || true
check_failed_checkpoint "$work/run" "$log" "shim"
# Space is back: resuming from step-2 ends exactly where the uninterrupted run ended.
"$cli" resume "$work/run/checkpoints/step-2" --plain > "$work/resume.log" 2>&1 || fail "resume from step-2 failed: $(tail -3 "$work/resume.log")"
cmp "$work/ref/adapter/adapter_model.safetensors" "$work/run/adapter/adapter_model.safetensors" \
  || fail "the adapter resumed after a full disk differs from the uninterrupted run's"

# 2. Shim: the disk fills half way through export-adapter's weights, and through merge's model.
for what in export merge; do
  mkdir -p "$work/x"
  if [ $what = export ]; then cmd=("$cli" export-adapter "$work/ref/checkpoints/step-6" --out "$work/x/out")
  else cmd=("$cli" merge "$demo" "$work/ref/adapter" --out "$work/x/out"); fi
  set +e; log=$(with_fault "/x/.out.tmp-" 20000 enospc "${cmd[@]}" 2>&1); rc=$?; set -e
  echo "$log" | grep -F "error:" || true
  [ $rc -ne 0 ] || fail "$what succeeded on a full disk"
  expect "$log" "the disk is full"; expect "$log" "$work/x/"
  [ -z "$(ls -A "$work/x")" ] || fail "$what left $(ls -A "$work/x") after a full disk"
  rm -rf "$work/x"
done

# 3. A real file system filling up: a 24 MiB tmpfs, pre-filled so that the step-2 checkpoint passes the
# free-space check (needed bytes + a 16 MiB margin) and is written, and step-4 no longer does.
if [ "$(id -u)" = 0 ] && mkdir -p "$work/tmpfs" && mount -t tmpfs -o size=24m lorastudio-faults "$work/tmpfs" 2>"$work/mount.err"; then
  cleanup_hooks+=("umount '$work/tmpfs'")
  avail=$(df -B1 --output=avail "$work/tmpfs" | tail -1)
  fill=$(( (avail - (16 << 20) - 100 * 1024) / 4096 ))
  dd if=/dev/zero of="$work/tmpfs/filler" bs=4096 count=$fill status=none
  write_project "$work/t.yaml" "$work/tmpfs/run" 6 2
  set +e; log=$("$cli" train "$work/t.yaml" --plain 2>&1); rc=$?; set -e
  echo "$log" | grep -F "error:" || true
  [ $rc -ne 0 ] || fail "tmpfs: training finished on a full file system"
  expect "$log" "checkpoints/step-4: cannot write the checkpoint"
  grep -qE "not enough free disk space|the disk is full" <<<"$log" || fail "tmpfs: the error does not say the disk is full"
  expect "$log" "checkpoints/step-2 is intact"
  [ ! -e "$work/tmpfs/run/checkpoints/step-4" ] && [ -z "$(temporaries "$work/tmpfs/run")" ] || fail "tmpfs: half-written step-4 left"
  safetensors_whole "$work"/tmpfs/run/checkpoints/step-2/*.safetensors || fail "tmpfs: step-2 is not whole"
  cmp "$work/ref/checkpoints/step-2/adapter_model.safetensors" "$work/tmpfs/run/checkpoints/step-2/adapter_model.safetensors" \
    || fail "tmpfs: step-2 differs from the reference run's"
  echo "tmpfs: checked"
else
  echo "tmpfs part skipped: not root or mount refused ($(cat "$work/mount.err" 2>/dev/null)); the shim part ran"
fi
echo "disk full during checkpoint and export: passed"
