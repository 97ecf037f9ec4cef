# st-config-disagrees: config.json that does not describe the weights (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
edit json model/config.json set n_embd 64
