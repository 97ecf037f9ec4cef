# data-missing: a data file that does not exist (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
project nodata.jsonl
