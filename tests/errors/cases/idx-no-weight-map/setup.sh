# idx-no-weight-map: an index without weight_map (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
sharded_demo_model
edit json model/model.safetensors.index.json del weight_map
