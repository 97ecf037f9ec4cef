# yaml-unknown-key: a misspelled key (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project data.jsonl "" "rr: 8"
