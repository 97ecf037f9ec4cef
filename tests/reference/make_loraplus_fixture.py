"""Reference for LoRA+ (training.loraplus_lr_ratio): three AdamW steps of the fixture adapters with
PEFT's own create_loraplus_optimizer, as train_ref.safetensors has them for plain AdamW.

    PEER_SRC=<tree with peft >= 0.13> python3 make_loraplus_fixture.py FIXTURES_MODELS OUT_DIR

For gpt2, llama and qwen2 of FIXTURES_MODELS (../shared/fixtures/models): the base model, the
fixture adapter loaded trainable, create_loraplus_optimizer(AdamW, lr 1e-3, loraplus_lr_ratio 16,
loraplus_weight_decay 0.01; betas 0.9/0.999, eps 1e-8), next-token loss on the fixture batch,
3 steps, no clipping. Writes OUT_DIR/<model>.safetensors: input_ids, losses [4] (F64, before steps
1-3 and after 3), step1.<key> and step3.<key> for every adapter key (names as the adapter file
has them), logits_after_3_steps; and prints the versions for the README.
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
peer = os.environ.get("LORASTUDIO_PEER", os.path.join(here, "..", "..", "..", "shared", "peer"))
sys.path.insert(0, peer)
import peer_env  # noqa: E402

peer_env.setup()

import torch  # noqa: E402
import transformers  # noqa: E402
import peft  # noqa: E402
from peft.optimizers import create_loraplus_optimizer  # noqa: E402
import st_io  # noqa: E402

models_dir, out_dir = sys.argv[1:3]
os.makedirs(out_dir, exist_ok=True)
torch.manual_seed(0)
print(f"torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}")
for name in ("gpt2", "llama", "qwen2"):
    d = os.path.join(models_dir, name)
    ids = st_io.read_file(os.path.join(d, "logits.safetensors"))[0]["input_ids"]
    base = transformers.AutoModelForCausalLM.from_pretrained(os.path.join(d, "model"), torch_dtype=torch.float32,
                                                             attn_implementation="eager")
    model = peft.PeftModel.from_pretrained(base, os.path.join(d, "adapter"), is_trainable=True)
    model.train()  # dropout is 0 in the fixture adapters: train and eval compute the same
    opt = create_loraplus_optimizer(model, torch.optim.AdamW, lr=1e-3, loraplus_lr_ratio=16.0,
                                    loraplus_weight_decay=0.01, betas=(0.9, 0.999), eps=1e-8)
    named = {n.replace(".default", ""): p for n, p in model.named_parameters() if p.requires_grad}
    out = {"input_ids": ids}
    losses = []
    for step in range(3):
        opt.zero_grad(set_to_none=True)
        loss = model(input_ids=ids, labels=ids).loss
        losses.append(loss.item())
        loss.backward()
        opt.step()
        if step in (0, 2):
            for n, p in named.items():
                out[f"step{step + 1}.{n}"] = p.detach().clone()
    model.eval()
    with torch.no_grad():
        result = model(input_ids=ids, labels=ids)
    losses.append(result.loss.item())
    out["losses"] = torch.tensor(losses, dtype=torch.float64)
    out["logits_after_3_steps"] = result.logits.detach().clone()
    groups = [(g["lr"], g["weight_decay"], len(g["params"])) for g in opt.param_groups]
    st_io.write_file(os.path.join(out_dir, f"{name}.safetensors"), out, {"format": "pt"})
    print(f"{name}: losses {[round(x, 6) for x in losses]}; groups (lr, weight decay, params) {groups}")
