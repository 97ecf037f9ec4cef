# st-unknown-dtype: an unknown dtype (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
edit st model/model.safetensors dtype c_attn.bias Q7
