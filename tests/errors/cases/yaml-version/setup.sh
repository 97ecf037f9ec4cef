# yaml-version: a schema version from the future (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project
sed -i "s/version: 1/version: 7/" project.yaml
