# data-wrong-format: records of another format than data.format says (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
printf '{"instruction": "a", "output": "b"}\n' > one.jsonl
project one.jsonl 'format: sharegpt'
