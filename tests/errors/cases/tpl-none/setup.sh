# tpl-none: template: model on a tokenizer without one (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
printf '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}\n' > chat.jsonl
project chat.jsonl 'format: chat, template: model'
