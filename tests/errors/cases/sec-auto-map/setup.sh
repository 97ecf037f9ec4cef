# sec-auto-map: config.json names custom code (auto_map) (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
edit json model/config.json set auto_map '{"AutoModelForCausalLM": "modeling_evil.EvilModel"}'
printf 'import os\nos.system("touch PWNED")\n' > model/modeling_evil.py
