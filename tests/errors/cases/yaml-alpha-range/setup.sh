# yaml-alpha-range: lora_alpha out of range (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project
sed -i "s/lora_alpha: 8/lora_alpha: -1/" project.yaml
