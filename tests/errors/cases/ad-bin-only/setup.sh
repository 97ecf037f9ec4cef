# ad-bin-only: only a pickle adapter (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
gpt2_model
gpt2_adapter
mv adapter/adapter_model.safetensors adapter/adapter_model.bin
