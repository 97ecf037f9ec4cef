# ckpt-not-checkpoint: resume from a folder that is not a checkpoint (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
