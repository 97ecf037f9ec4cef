# sec-pickle-files: pickle checkpoints beside the safetensors (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
for f in pytorch_model.bin training_args.pt optimizer.pth; do printf "not read" > model/$f; done
