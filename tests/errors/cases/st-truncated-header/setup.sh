# st-truncated-header: a file cut inside its header (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
truncate -s 100 model/model.safetensors
