# yaml-r-range: r out of range (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project
sed -i "s/r: 4/r: 0/" project.yaml
