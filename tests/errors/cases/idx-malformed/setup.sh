# idx-malformed: an index cut short (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
sharded_demo_model
head -c 30 model/model.safetensors.index.json > x && mv x model/model.safetensors.index.json
