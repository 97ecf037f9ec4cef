# st-no-weights: a folder without weights (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
rm model/model.safetensors
