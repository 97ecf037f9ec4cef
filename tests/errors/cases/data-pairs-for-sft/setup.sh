# data-pairs-for-sft: preference pairs in a project that trains with SFT (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
head -n 3 "$SRC/resources/demo/preferences.jsonl" > pairs.jsonl
project pairs.jsonl
