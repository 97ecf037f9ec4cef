# data-pairs-all-trained: preference pairs with every token trained (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
head -n 3 "$SRC/resources/demo/preferences.jsonl" > pairs.jsonl
project pairs.jsonl 'completion_only_loss: false' '' 'objective: dpo, max_steps: 1, batch_size: 2, save_every: 0'
