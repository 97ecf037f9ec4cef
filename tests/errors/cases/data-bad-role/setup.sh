# data-bad-role: a chat message with an unknown role (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
printf '{"messages": [{"role": "wizard", "content": "hi"}]}\n' > chat.jsonl
project chat.jsonl 'format: chat'
