# ad-config-missing-r: adapter_config.json without r (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
gpt2_model
gpt2_adapter
edit json adapter/adapter_config.json del r
