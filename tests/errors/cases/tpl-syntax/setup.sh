# tpl-syntax: a template syntax error (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
printf '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}\n' > chat.jsonl
project chat.jsonl 'format: chat, template: model'
edit json model/tokenizer_config.json set chat_template '"{% for m in messages %}{{ m.content }{% endfor %}"'
