# yaml-wrong-type: a value of the wrong type (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project
sed -i "s/r: 4/r: eight/" project.yaml
