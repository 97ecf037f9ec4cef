# cfg-missing: a model folder without config.json (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
rm model/config.json
