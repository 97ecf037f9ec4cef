# st-missing-tensor: a checkpoint without a tensor the architecture needs (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
edit st model/model.safetensors drop h.0.attn.c_attn.weight
