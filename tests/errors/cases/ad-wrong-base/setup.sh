# ad-wrong-base: an adapter for another base model (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
gpt2_adapter
cp -r "$FIX/models/llama/model" base
