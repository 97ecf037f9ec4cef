# cfg-unknown-architecture: an architecture this build does not have (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
edit json model/config.json set architectures '["FooForCausalLM"]'
edit json model/config.json set model_type '"foo"'
