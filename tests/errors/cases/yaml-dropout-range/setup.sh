# yaml-dropout-range: lora_dropout out of range (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project data.jsonl "" "lora_dropout: 1.5"
