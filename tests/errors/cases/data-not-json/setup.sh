# data-not-json: plain text in a .jsonl file (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
printf 'hello world\nnot json\n' > text.jsonl
project text.jsonl
