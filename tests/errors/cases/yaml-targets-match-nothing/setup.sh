# yaml-targets-match-nothing: target_modules that match no module (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project
sed -i "s/\[c_attn\]/[q_proj, v_proj]/" project.yaml
