# cfg-missing-key: a required key missing (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
edit json model/config.json del n_layer
