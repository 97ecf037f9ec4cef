# st-header-length-bomb: a header length of 2^63 (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
printf '\xff\xff\xff\xff\xff\xff\xff\x7f{}' > model/model.safetensors
