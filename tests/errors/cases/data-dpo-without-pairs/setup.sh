# data-dpo-without-pairs: DPO asked for, and the data holds instructions (docs/errors.md)
. "$SRC/tests/errors/lib.sh"
demo_model
demo_data
project data.jsonl '' '' 'objective: dpo, max_steps: 1, batch_size: 2, save_every: 0'
