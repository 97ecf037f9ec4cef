# cfg-malformed: config.json that is not JSON (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
printf '{"model_type": "gpt2", \n' > model/config.json
