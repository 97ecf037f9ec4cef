# ad-missing-tensor: a LoRA tensor missing (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
gpt2_model
gpt2_adapter
edit st adapter/adapter_model.safetensors drop h.0.attn.c_attn.lora_B
