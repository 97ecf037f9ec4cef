# gguf-truncated: a GGUF file cut after its version (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
printf 'GGUF\003\000\000\000' > short.gguf
