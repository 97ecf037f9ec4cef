# yaml-syntax: a YAML syntax error (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
printf 'version: 1\nbase_model: model\noutput_dir: out\nlora:\n  r: 8\n  target_modules: [c_attn\ndata: {path: data.jsonl}\n' > project.yaml
