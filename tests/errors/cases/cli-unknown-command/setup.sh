# cli-unknown-command: a command that does not exist (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
:
