# cli-bad-number: a number that is not one (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project
