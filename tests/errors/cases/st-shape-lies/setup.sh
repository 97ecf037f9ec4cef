# st-shape-lies: a shape that does not fit its bytes (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
edit st model/model.safetensors grow c_attn.bias
