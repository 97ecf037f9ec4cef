# sec-index-absolute: an absolute index shard path (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
sharded_demo_model
"$PY" - <<'PY'
import json
p = 'model/model.safetensors.index.json'; j = json.load(open(p))
j['weight_map'] = {k: '/etc/passwd' for k in j['weight_map']}; json.dump(j, open(p, 'w'))
PY
