# train-nan: the loss becomes NaN (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project data.jsonl "" "" "max_steps: 3, batch_size: 2, lr: 1e30, max_grad_norm: 0"
