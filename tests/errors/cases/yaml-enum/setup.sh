# yaml-enum: a value outside a fixed set (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project data.jsonl "" "" "max_steps: 1, precision: fp8"
