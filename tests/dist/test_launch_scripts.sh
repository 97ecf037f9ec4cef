#!/usr/bin/env bash
# The README's data-parallel commands run as written, on the demo: `lorastudio-cli launch-scripts`,
# then the torchrun script it wrote (2 ranks, torchrun of python3-torch), then its Slurm batch file on a
# one-node Slurm this test starts itself (needs root, slurm-wlm and munge: else that part is skipped
# and the test says so with CTest's skip code 77). Each job's losses must equal one process with the
# global batch.   test_launch_scripts.sh CLI SOURCE_DIR
set -euo pipefail
cli="$1"; src="$2"
work="$(mktemp -d /tmp/lorastudio-launch-XXXXXX)"
pids=()
cleanup() {
  local status=$?
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  for p in "${pids[@]}"; do  # the daemons write their state as they go: wait for them first
    for _ in $(seq 1 50); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
  done
  rm -rf "$work" || true
  exit "$status"
}
trap cleanup EXIT
cp -r "$src/resources/demo/model" "$src/resources/demo/instructions.jsonl" "$work/"
# The demo, 6 steps, batch 4 per rank, no dropout (its draws differ per rank by design), quiet.
sed -e 's/^  max_steps: .*/  max_steps: 6/' -e 's/^  batch_size: .*/  batch_size: 4/' \
    -e 's/^  lora_dropout: .*/  lora_dropout: 0/' -e 's/^  eval_every: .*/  eval_every: 3/' \
    -e 's/^  analysis_every: .*/  analysis_every: 0/' "$src/resources/demo/demo.yaml" > "$work/demo.yaml"
sed -e 's/^  batch_size: .*/  batch_size: 8/' "$work/demo.yaml" > "$work/one.yaml"
"$cli" train "$work/one.yaml" --plain --output "$work/out-one" > "$work/one.log" 2>&1 || { cat "$work/one.log"; exit 1; }

same_losses() {  # run folder: its step and eval losses equal out-one's (1e-5 relative)
  python3 - "$work/out-one/metrics.jsonl" "$1/metrics.jsonl" <<'PY'
import json, sys
def losses(p):
    rows = [json.loads(l) for l in open(p)]
    return [(r['type'], r['loss']) for r in rows if r.get('type') in ('step', 'eval')]
a, b = losses(sys.argv[1]), losses(sys.argv[2])
assert len(a) == len(b) == 8, (len(a), len(b))
for (ta, la), (tb, lb) in zip(a, b):
    assert ta == tb and abs(la - lb) <= 1e-5 * max(1.0, abs(la)), (ta, la, tb, lb)
print(f"  {len(a)} losses equal the single process's (largest difference {max(abs(x[1] - y[1]) for x, y in zip(a, b)):.2e})")
PY
}

cd "$work"
# README, "Several GPUs or machines":
"$cli" launch-scripts demo.yaml --nproc-per-node 2
test -x demo-torchrun.sh && test -f demo.sbatch
if ! command -v torchrun > /dev/null; then  # e.g. the Debian 13 build root, which has no python3-torch
  echo "SKIPPED: no torchrun here (python3-torch); launch-scripts wrote both files"
  exit 77
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "== torchrun: MASTER_PORT=$port bash demo-torchrun.sh"
MASTER_PORT="$port" bash demo-torchrun.sh > torchrun.log 2>&1 || { cat torchrun.log; exit 1; }
grep -q "2 data-parallel ranks (global batch 8)" torchrun.log || { cat torchrun.log; exit 1; }
same_losses "$work/output"
mv output output-torchrun

echo "== Slurm: sbatch --wait demo.sbatch"
if [ "$(id -u)" -ne 0 ] || ! command -v slurmctld > /dev/null || ! command -v munged > /dev/null; then
  echo "SKIPPED: the Slurm part needs root, slurm-wlm and munge (the torchrun part passed)"
  exit 77
fi
state="$work/slurm"; mkdir -p "$state/ctld" "$state/d" "$state/log"
dd if=/dev/urandom bs=1 count=1024 of="$state/munge.key" 2> /dev/null; chmod 400 "$state/munge.key"
munged --key-file="$state/munge.key" --socket="$state/munge.socket" --pid-file="$state/munged.pid" \
  --log-file="$state/log/munged.log" --seed-file="$state/munge.seed" -f
pids+=("$(cat "$state/munged.pid")")
host="$(hostname)"
cat > "$state/slurm.conf" <<CONF
ClusterName=lorastudio-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$state/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/ctld.pid
SlurmdPidFile=$state/d.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
SlurmctldPort=$(( port + 1 ))
SlurmdPort=$(( port + 2 ))
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$state/slurm.conf"
slurmctld -f "$SLURM_CONF"; sleep 1; pids+=("$(cat "$state/ctld.pid")")
slurmd -f "$SLURM_CONF"; sleep 1; pids+=("$(cat "$state/d.pid")")
for _ in $(seq 1 30); do sinfo -h -o %T 2> /dev/null | grep -q idle && break; sleep 1; done
MASTER_PORT="$(( port + 3 ))" sbatch --wait demo.sbatch
log="$(ls lorastudio-demo-*.log)"
grep -q "2 data-parallel ranks (global batch 8)" "$log" || { cat "$log"; exit 1; }
same_losses "$work/output"
echo "both launch scripts ran as written"
