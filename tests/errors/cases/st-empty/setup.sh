# st-empty: an empty model.safetensors (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
: > model/model.safetensors
