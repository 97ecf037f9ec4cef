"""Reference for DoRA (lora.use_dora): PEFT's own DoRA on the three fixture models.

    PEER_SRC=<tree with peft >= 0.9> python3 make_dora_fixture.py FIXTURES_MODELS OUT_DIR

For gpt2, llama and qwen2 of FIXTURES_MODELS (../shared/fixtures/models): the fixture adapter's
settings with use_dora=True (PEFT initialises the magnitude to the row norms of W); the fixture's
lora_A / lora_B copied in, and the magnitude scaled by 1 + 0.05 * N(0, 1) (seed 0) so that every
part of the update is non-trivial. Writes OUT_DIR/<model>/adapter (save_pretrained, as PEFT writes
a DoRA adapter) and OUT_DIR/<model>.safetensors:
  input_ids; trainable_and_all_params [2] (PEFT's counts); lora_logits (the DoRA model, eval); merged_logits (after merge_and_unload);
  losses [4] (F64: before AdamW steps 1-3 and after 3; AdamW lr 1e-3, weight decay 0.01, betas
  0.9/0.999, eps 1e-8 over every trainable tensor, next-token loss on the fixture batch, no
  clipping); step1.<key> and step3.<key> for every adapter key; logits_after_3_steps.
Prints PEFT's print_trainable_parameters line and the versions for the README.
"""
import io
import json
import os
import sys
from contextlib import redirect_stdout

here = os.path.dirname(os.path.abspath(__file__))
peer = os.environ.get("LORASTUDIO_PEER", os.path.join(here, "..", "..", "..", "shared", "peer"))
sys.path.insert(0, peer)
import peer_env  # noqa: E402

peer_env.setup()

import torch  # noqa: E402
import transformers  # noqa: E402
import peft  # noqa: E402
from peft.utils import get_peft_model_state_dict  # noqa: E402
import st_io  # noqa: E402

models_dir, out_dir = sys.argv[1:3]
os.makedirs(out_dir, exist_ok=True)
print(f"torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}")


def load_base(d):
    return transformers.AutoModelForCausalLM.from_pretrained(os.path.join(d, "model"), torch_dtype=torch.float32,
                                                             attn_implementation="eager")


for name in ("gpt2", "llama", "qwen2"):
    d = os.path.join(models_dir, name)
    ids = st_io.read_file(os.path.join(d, "logits.safetensors"))[0]["input_ids"]
    with open(os.path.join(d, "adapter", "adapter_config.json")) as f:
        fixture = json.load(f)
    config = peft.LoraConfig(r=fixture["r"], lora_alpha=fixture["lora_alpha"], lora_dropout=0.0,
                             target_modules=fixture["target_modules"], fan_in_fan_out=fixture["fan_in_fan_out"],
                             bias="none", task_type="CAUSAL_LM", use_dora=True)
    model = peft.get_peft_model(load_base(d), config)
    lora_weights = st_io.read_file(os.path.join(d, "adapter", "adapter_model.safetensors"))[0]
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for n, p in model.named_parameters():
            key = n.replace(".default", "")
            if ".lora_A." in key or ".lora_B." in key:
                p.copy_(lora_weights[key])
            elif "lora_magnitude_vector" in key:
                p.mul_(1 + 0.05 * torch.randn(p.shape, generator=gen))
    buf = io.StringIO()
    with redirect_stdout(buf):
        model.print_trainable_parameters()
    adapter_dir = os.path.join(out_dir, name, "adapter")
    model.save_pretrained(adapter_dir, safe_serialization=True)
    saved_keys = sorted(get_peft_model_state_dict(model).keys())

    trainable, total = model.get_nb_trainable_parameters()
    out = {"input_ids": ids, "trainable_and_all_params": torch.tensor([trainable, total], dtype=torch.int64)}
    model.eval()
    with torch.no_grad():
        out["lora_logits"] = model(input_ids=ids).logits.detach().clone()
    # Merged: a fresh copy from the saved adapter, so the live model stays trainable.
    merged = peft.PeftModel.from_pretrained(load_base(d), adapter_dir).merge_and_unload()
    with torch.no_grad():
        out["merged_logits"] = merged(input_ids=ids).logits.detach().clone()

    model.train()  # dropout is 0: train and eval compute the same
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.01, betas=(0.9, 0.999), eps=1e-8)
    named = {n.replace(".default", "").replace("lora_magnitude_vector.weight", "lora_magnitude_vector"): p
             for n, p in model.named_parameters() if p.requires_grad}
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
    st_io.write_file(os.path.join(out_dir, f"{name}.safetensors"), out, {"format": "pt"})
    print(f"{name}: {buf.getvalue().strip()}; adapter keys {len(saved_keys)} e.g. {saved_keys[:3]}; "
          f"losses {[round(x, 6) for x in losses]}; "
          f"max |merged - dora| {(out['merged_logits'] - out['lora_logits']).abs().max().item():.3g}")
