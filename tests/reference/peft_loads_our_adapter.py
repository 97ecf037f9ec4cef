"""Does a real PEFT load an adapter LoRA Studio wrote, and compute what LoRA Studio computes?

    python3 peft_loads_our_adapter.py BASE_DIR ADAPTER_DIR IDS.json OURS.safetensors [TOL]

Loads BASE_DIR with transformers, our ADAPTER_DIR with peft.PeftModel.from_pretrained, runs the
ids (a JSON list of equal-length id lists) and compares the logits with OURS.safetensors
(`logits`, written by `lorastudio-cli logits` on our merged model). Prints the versions and the
largest difference; exits 1 when PEFT refuses the adapter or the difference exceeds TOL (1e-5).
Runs in ../shared/peer's environment (transformers 4.37.2 + PEFT 0.8.2 on Debian 12's torch),
or with any installed transformers + peft.
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
peer = os.environ.get("LORASTUDIO_PEER", os.path.join(here, "..", "..", "..", "shared", "peer"))
if os.path.isdir(peer):
    sys.path.insert(0, peer)
    import peer_env  # noqa: E402
    peer_env.setup()

import torch  # noqa: E402
import transformers  # noqa: E402
import peft  # noqa: E402

base_dir, adapter_dir, ids_path, ours_path = sys.argv[1:5]
tol = float(sys.argv[5]) if len(sys.argv) > 5 else 1e-5
with open(ids_path) as f:
    ids = torch.tensor(json.load(f), dtype=torch.long)

try:
    import st_io
    ours = st_io.read_file(ours_path)[0]["logits"]
    ours = torch.as_tensor(ours) if not isinstance(ours, torch.Tensor) else ours
except ImportError:
    from safetensors.torch import load_file
    ours = load_file(ours_path)["logits"]

model = transformers.AutoModelForCausalLM.from_pretrained(base_dir, torch_dtype=torch.float32, attn_implementation="eager") \
    if tuple(int(x) for x in transformers.__version__.split(".")[:2]) >= (4, 36) else \
    transformers.AutoModelForCausalLM.from_pretrained(base_dir, torch_dtype=torch.float32)
try:
    model = peft.PeftModel.from_pretrained(model, adapter_dir)
except Exception as e:  # the point of the check: PEFT must accept what we wrote
    print(f"peft {peft.__version__} refuses {adapter_dir}: {type(e).__name__}: {e}")
    sys.exit(1)
model.eval()
with torch.no_grad():
    theirs = model(input_ids=ids).logits.float()
diff = (theirs - ours.float()).abs().max().item()
print(f"transformers {transformers.__version__}, peft {peft.__version__}: {adapter_dir} loads; "
      f"max |logit difference| = {diff:.3g} (tolerance {tol:g})")
sys.exit(0 if diff <= tol else 1)
