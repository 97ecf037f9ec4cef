# ad-config-wrong-type: r of the wrong type (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
gpt2_model
gpt2_adapter
edit json adapter/adapter_config.json set r '"four"'
