# gguf-bad-type: an output type GGUF export does not write (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
