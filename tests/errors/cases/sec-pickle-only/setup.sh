# sec-pickle-only: a folder with only a pickle checkpoint (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
mv model/model.safetensors model/pytorch_model.bin
