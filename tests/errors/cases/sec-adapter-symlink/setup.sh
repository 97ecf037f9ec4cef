# sec-adapter-symlink: an adapter's tensors are a link out of its folder (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
gpt2_model
gpt2_adapter
mkdir elsewhere
mv adapter/adapter_model.safetensors elsewhere/
ln -s ../elsewhere/adapter_model.safetensors adapter/adapter_model.safetensors
