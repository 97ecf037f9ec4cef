# ad-config-missing: an adapter folder without adapter_config.json (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
gpt2_model
gpt2_adapter
rm adapter/adapter_config.json
