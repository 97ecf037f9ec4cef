# ckpt-state-malformed: trainer_state.json cut short (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project data.jsonl "" "" "max_steps: 1, batch_size: 2, save_every: 1"
"$CLI" train project.yaml --plain > /dev/null
echo '{"step": ' > out/checkpoints/step-1/trainer_state.json
