#!/usr/bin/env python3
"""Tiny random StableLM models (StableLmForCausalLM) and what real transformers and PEFT compute with
them (tests/fixtures/stablelm), plus PEFT's parameter counts for StableLmConfig's defaults (which its
documentation gives as stabilityai/stablelm-3b-4e1t's sizes). The fixture machinery (model building,
adapter, generate, gradients, merged logits) is make_gemma_phi3_fixtures.py's; run it the same way,
in the same Debian 13 root:
    REF_SRC=/opt/ref/src python3 tests/reference/make_stablelm_fixtures.py OUT_DIR CONFIGS_DIR
"""
import importlib.util
import io
import json
import os
import sys
from contextlib import redirect_stdout

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("gemma_phi3", os.path.join(_here, "make_gemma_phi3_fixtures.py"))
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)  # sets up the pinned transformers / PEFT sources
torch, transformers, peft = base.torch, base.transformers, base.peft

STABLELM = dict(base.COMMON, hidden_act="silu", layer_norm_eps=1e-5, max_position_embeddings=64, rope_theta=10000.0,
                use_parallel_residual=False, qk_layernorm=False)
base.MODELS.clear()
base.MODELS.update({
    # StableLM 2 1.6B's features: q/k/v biases, RoPE on the first quarter of each head (4 of 16 dims),
    # untied head; here with grouped-query attention (2 KV heads) too.
    "stablelm": ("StableLmConfig", "StableLmForCausalLM", dict(
        STABLELM, num_hidden_layers=3, use_qkv_bias=True, partial_rotary_factor=0.25, tie_word_embeddings=False),
        ["q_proj", "v_proj", "o_proj", "up_proj"]),
    # StableLM-3B-4E1T's: no biases; here half the head rotates, linear RoPE scaling, a tied head.
    "stablelm_tied": ("StableLmConfig", "StableLmForCausalLM", dict(
        STABLELM, num_hidden_layers=2, use_qkv_bias=False, partial_rotary_factor=0.5, tie_word_embeddings=True,
        rope_scaling={"rope_type": "linear", "factor": 2.0}),
        ["q_proj", "k_proj", "gate_proj", "down_proj"]),
})

_build = base.build


def build(name):
    """make_gemma_phi3's random model (LayerNorm weights 1 + 0.15 N), then the LayerNorm biases
    redrawn as 0.1 N (that build gives every 1-d norm tensor 1 + 0.15 N)."""
    model = _build(name)
    gen = torch.Generator().manual_seed(4321)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if "norm" in pname and pname.endswith(".bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
    return model


base.build = build


def default_config_counts(configs_dir):
    """StableLmConfig() as config.json, and PEFT's counts for it (built on the meta device)."""
    config = transformers.StableLmConfig()
    config.architectures = ["StableLmForCausalLM"]
    path = os.path.join(configs_dir, "stablelm-config-defaults.json")
    config.to_json_file(path)
    entries = []
    for targets, r in [(["q_proj", "v_proj"], 8), ("all-linear", 16)]:
        with torch.device("meta"):
            model = transformers.AutoModelForCausalLM.from_config(config)
        base_count = model.num_parameters()
        pm = peft.get_peft_model(model, peft.LoraConfig(r=r, lora_alpha=2 * r, target_modules=targets))
        trainable, total = pm.get_nb_trainable_parameters()
        buf = io.StringIO()
        with redirect_stdout(buf):
            pm.print_trainable_parameters()
        entries.append({"target_modules": targets, "r": r, "base_parameters": base_count, "trainable": trainable,
                        "all": total, "line": buf.getvalue().strip()})
        print(f"stablelm-config-defaults.json {targets} r={r}: base {base_count:,}; {entries[-1]['line']}")
    return {"stablelm-config-defaults.json": entries}


def main():
    out_root, configs_dir = sys.argv[1], sys.argv[2]
    print(f"transformers {transformers.__version__}, peft {peft.__version__}, torch {torch.__version__}")
    torch.set_num_threads(1)
    for name in base.MODELS:
        base.make_model_fixture(name, out_root)
    with open(os.path.join(out_root, "published_counts.json"), "w") as f:
        json.dump(default_config_counts(configs_dir), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
