# ad-rank-mismatch: tensors of another rank than the config says (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
gpt2_model
gpt2_adapter
edit json adapter/adapter_config.json set r 8
