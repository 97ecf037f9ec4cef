# tpl-unsupported-tag: a Jinja construct the renderer does not have (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
printf '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}\n' > chat.jsonl
project chat.jsonl 'format: chat, template: model'
edit json model/tokenizer_config.json set chat_template '"{% for m in messages %}{% call foo() %}x{% endcall %}{% endfor %}"'
