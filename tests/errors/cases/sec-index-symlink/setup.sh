# sec-index-symlink: an index shard that is a link out of the folder (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
sharded_demo_model
mv model/model-00001-of-00001.safetensors elsewhere.safetensors
ln -s "$PWD/elsewhere.safetensors" model/model-00001-of-00001.safetensors
