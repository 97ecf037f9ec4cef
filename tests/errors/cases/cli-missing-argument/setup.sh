# cli-missing-argument: a required argument left out (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
:
