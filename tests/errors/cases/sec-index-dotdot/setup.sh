# sec-index-dotdot: an index shard path that climbs out (`../`) (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
sharded_demo_model
cp model/model-00001-of-00001.safetensors outside.safetensors
"$PY" - <<'PY'
import json
p = 'model/model.safetensors.index.json'; j = json.load(open(p))
j['weight_map'] = {k: '../outside.safetensors' for k in j['weight_map']}; json.dump(j, open(p, 'w'))
PY
