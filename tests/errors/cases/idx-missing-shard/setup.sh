# idx-missing-shard: a shard that is not there (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
sharded_demo_model
"$PY" - <<'PY'
import json
p = 'model/model.safetensors.index.json'; j = json.load(open(p))
j['weight_map']['lm_head.extra'] = 'model-00002-of-00002.safetensors'; json.dump(j, open(p, 'w'))
PY
