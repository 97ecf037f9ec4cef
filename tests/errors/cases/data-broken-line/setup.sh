# data-broken-line: one broken line among good ones (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
printf '{"instruction": "a", "output": "b"}\n{"instruction": "c", "output": \n{"instruction": "e", "output": "f"}\n' > broken.jsonl
project broken.jsonl
