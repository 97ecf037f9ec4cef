# sec-merge-warns: merge from a base with auto_map (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
gpt2_model
gpt2_adapter
edit json base/config.json set auto_map '{"AutoConfig": "configuration_x.XConfig"}' 
