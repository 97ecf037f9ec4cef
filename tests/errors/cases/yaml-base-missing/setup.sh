# yaml-base-missing: base_model that does not exist (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_data
project
sed -i "s/base_model: model/base_model: nomodel/" project.yaml
