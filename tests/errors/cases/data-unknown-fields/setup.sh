# data-unknown-fields: records with fields of no known format (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
printf '{"question": "a", "answer": "b"}\n{"question": "c", "answer": "d"}\n' > qa.jsonl
project qa.jsonl
