# tok-config-wrong-type: a special token of the wrong type (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
edit json model/tokenizer_config.json set eos_token '[1]'
