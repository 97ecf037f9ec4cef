#!/usr/bin/env python3
"""Pre-quantized bitsandbytes checkpoints, made by the real bitsandbytes + transformers, for
tests/core/test_bnb_checkpoint.cpp: the fixtures' tiny Llama loaded with BitsAndBytesConfig on the CPU
(nf4 with and without double quantization, and 8-bit), saved with save_pretrained (the layout of the
Hub's "-bnb-4bit" / "-8bit" folders), and what transformers computes with them.

    REF_SRC=/opt/ref/src python3 tests/reference/make_bnb_fixtures.py LLAMA_DIR OUT_DIR

OUT_DIR/<name>/ holds config.json (with quantization_config) and model.safetensors as saved;
OUT_DIR/reference.safetensors holds the input ids, each model's logits, and for each model the
dequantized weight of model.layers.0.self_attn.q_proj and model.layers.1.mlp.down_proj as
bitsandbytes itself computes them. See tests/fixtures/bnb/README.md for versions and commits.
"""
import os
import shutil
import sys

BNB_VERSION = "0.50.1"
# bitsandbytes must be importable, and known to importlib.metadata, before transformers is imported.
import tempfile  # noqa: E402
stub = tempfile.mkdtemp(prefix="bnb_stub_")
os.makedirs(os.path.join(stub, f"bitsandbytes-{BNB_VERSION}.dist-info"))
with open(os.path.join(stub, f"bitsandbytes-{BNB_VERSION}.dist-info", "METADATA"), "w") as f:
    f.write(f"Metadata-Version: 2.1\nName: bitsandbytes\nVersion: {BNB_VERSION}\n")
sys.path[:0] = [stub, os.path.join(os.environ.get("REF_SRC", "/opt/ref/src"), "bnb")]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_gemma_phi3_fixtures  # noqa: E402,F401  (the offline transformers environment)

import torch  # noqa: E402
import bitsandbytes as bnb  # noqa: E402
import bitsandbytes.functional as F  # noqa: E402
from transformers import AutoModelForCausalLM, BitsAndBytesConfig  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

llama, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
ids = torch.tensor([[1, 5, 9, 200, 31, 77, 3, 999, 42, 17], [1, 640, 2, 8, 8, 123, 511, 64, 7, 300]])
MODULES = ["model.layers.0.self_attn.q_proj", "model.layers.1.mlp.down_proj"]
CONFIGS = {
    "llama-nf4": BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                                    bnb_4bit_compute_dtype=torch.float32),
    "llama-nf4-single": BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
                                           bnb_4bit_use_double_quant=False, bnb_4bit_compute_dtype=torch.float32),
    "llama-int8": BitsAndBytesConfig(load_in_8bit=True),
}
ref = {"input_ids": ids.to(torch.int64)}
torch.manual_seed(0)
for name, qc in CONFIGS.items():
    model = AutoModelForCausalLM.from_pretrained(llama, quantization_config=qc, device_map="cpu",
                                                 torch_dtype=torch.float32)
    model.eval()
    folder = os.path.join(out, name)
    shutil.rmtree(folder, ignore_errors=True)
    model.save_pretrained(folder, safe_serialization=True)
    for extra in ("generation_config.json",):
        p = os.path.join(folder, extra)
        if os.path.exists(p):
            os.remove(p)
    with torch.no_grad():
        ref[f"{name}.logits"] = model(ids).logits.float().contiguous()
        dequantized = {}
        for m, layer in model.named_modules():
            if isinstance(layer, bnb.nn.Linear4bit):
                dequantized[m] = F.dequantize_4bit(layer.weight.data, layer.weight.quant_state).float()
            elif isinstance(layer, bnb.nn.Linear8bitLt):  # int8 rows and their absmax, as saved
                sd = layer.state_dict()
                dequantized[m] = sd["weight"].float() * (sd["SCB"].float().view(-1, 1) / 127.0)
        for m in MODULES:
            ref[f"{name}.{m}.weight"] = dequantized[m].contiguous()
        # The dense model with every quantized weight replaced by its dequantized value: what a
        # dequantize-then-matmul forward computes (bitsandbytes' 8-bit forward also quantizes the
        # activations, so its own logits are recorded beside it, not compared to).
        dense = AutoModelForCausalLM.from_pretrained(llama, torch_dtype=torch.float32).eval()
        for m, w in dequantized.items():
            dense.get_submodule(m).weight.copy_(w)
        ref[f"{name}.logits_dequantized"] = dense(ids).logits.float().contiguous()
    print(name, type(model.get_submodule(MODULES[0])).__name__, len(dequantized), "quantized modules saved")
save_file(ref, os.path.join(out, "reference.safetensors"), metadata={"bitsandbytes": BNB_VERSION})
