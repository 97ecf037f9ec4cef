# st-header-not-json: a header that is not JSON (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
printf '\x0a\x00\x00\x00\x00\x00\x00\x00{"a": nope' > model/model.safetensors
