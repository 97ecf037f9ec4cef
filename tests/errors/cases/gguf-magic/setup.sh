# gguf-magic: not a GGUF file (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
printf 'GGUX\003\000\000\000' > bad.gguf
