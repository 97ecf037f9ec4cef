# cfg-no-folder: a model path that does not exist (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
: # nothing: the path is simply wrong
