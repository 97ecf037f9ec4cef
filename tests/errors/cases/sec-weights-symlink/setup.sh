# sec-weights-symlink: model.safetensors is a link out of the folder (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
mkdir elsewhere
mv model/model.safetensors elsewhere/
ln -s ../elsewhere/model.safetensors model/model.safetensors
