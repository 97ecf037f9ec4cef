# cfg-wrong-type: a key of the wrong type (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
edit json model/config.json set n_layer '"four"'
