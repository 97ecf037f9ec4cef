# st-truncated-data: a file cut inside its data (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
truncate -s 50000 model/model.safetensors
