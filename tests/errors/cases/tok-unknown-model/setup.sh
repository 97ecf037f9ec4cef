# tok-unknown-model: a tokenizer model this build does not have (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
"$PY" -c "import json; p='model/tokenizer.json'; d=json.load(open(p)); d['model']['type']='Unigram2'; json.dump(d, open(p,'w'))"
