# ad-config-malformed: adapter_config.json cut short (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
gpt2_model
gpt2_adapter
echo '{"peft_type": "LORA", "r": 4' > adapter/adapter_config.json
