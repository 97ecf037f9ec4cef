# ckpt-rank-mismatch: a checkpoint whose project.yaml was edited (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project data.jsonl "" "" "max_steps: 1, batch_size: 2, save_every: 1"
"$CLI" train project.yaml --plain > /dev/null
sed -i "s/^  r: 4 /  r: 8 /" out/checkpoints/step-1/project.yaml
