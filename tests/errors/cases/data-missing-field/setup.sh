# data-missing-field: a record without a required field (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
printf '{"instruction": "a", "output": "b"}\n{"instruction": "c"}\n' > missing.jsonl
project missing.jsonl
