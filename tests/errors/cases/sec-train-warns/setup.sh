# sec-train-warns: training on a base with pickles and auto_map (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project
edit json model/config.json set auto_map '{"AutoModelForCausalLM": "modeling_x.X"}'
printf 'x' > model/pytorch_model.bin
