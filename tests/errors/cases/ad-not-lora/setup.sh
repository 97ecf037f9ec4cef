# ad-not-lora: an adapter of another PEFT method (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
gpt2_model
gpt2_adapter
edit json adapter/adapter_config.json set peft_type '"IA3"'
