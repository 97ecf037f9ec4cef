# ckpt-incomplete: a checkpoint folder missing a file (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project data.jsonl "" "" "max_steps: 1, batch_size: 2, save_every: 1"
"$CLI" train project.yaml --plain > /dev/null
rm out/checkpoints/step-1/optimizer.safetensors
