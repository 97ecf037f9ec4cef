# idx-lying: an index that lists a tensor its shard lacks (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
sharded_demo_model
"$PY" - <<'PY'
import json
p = 'model/model.safetensors.index.json'; j = json.load(open(p))
j['weight_map']['transformer.wte.extra'] = 'model-00001-of-00001.safetensors'; json.dump(j, open(p, 'w'))
PY
