# gguf-count-bomb: a key count the file cannot hold (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
printf 'GGUF\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\x0f' > big.gguf
