# yaml-top-level-list: a list where the project mapping belongs (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
printf -- '- a\n- b\n' > project.yaml
