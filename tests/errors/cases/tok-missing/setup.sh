# tok-missing: no tokenizer.json (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
rm model/tokenizer.json
