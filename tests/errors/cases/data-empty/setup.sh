# data-empty: an empty data file (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
: > empty.jsonl
project empty.jsonl
