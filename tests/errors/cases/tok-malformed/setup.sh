# tok-malformed: tokenizer.json cut short (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
echo '{"model": {"type": "BPE", "vocab": ' > model/tokenizer.json
