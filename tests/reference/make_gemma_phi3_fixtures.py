#!/usr/bin/env python3
"""Tiny random Gemma 2, Gemma 3 (text), Phi-3 and Phi-4-mini-style models and what real transformers
and PEFT compute with them (tests/fixtures/gemma_phi3), plus PEFT's parameter counts for the published
configs in tests/fixtures/configs.

Every feature is active in the tiny models: (1 + w) RMSNorm, the embedding scale, GeGLU, the
pre/post-feedforward norms, attention and final logit soft-capping that change the outputs,
alternating sliding-window layers with a window shorter than the sequences, query_pre_attn_scalar
!= head_dim, Gemma 3's q/k norms, local/global RoPE bases and linear RoPE scaling on its global
layers; Phi-3's fused qkv_proj / gate_up_proj with grouped-query attention, LongRoPE (legacy type
"su") with original_max_position_embeddings shorter than the sequences (long factors) and a short
input (short factors), a sliding window; Phi-4-mini's partial_rotary_factor 0.75 and tied head.

Runs where transformers >= 4.50 runs: Debian 13's python3-torch 2.6 in a Debian 13 root, with the
upstream sources (git archive of the pinned tags) under REF_SRC; see tests/fixtures/gemma_phi3/README.md.
    REF_SRC=/opt/ref/src python3 tests/reference/make_gemma_phi3_fixtures.py OUT_DIR CONFIGS_DIR
Nothing of the upstream code is copied here; tokenizers (compiled) is stood in for by a module that
refuses to build a tokenizer: the fixtures feed token ids directly.
"""
import io
import json
import os
import shutil
import sys
import tempfile
from contextlib import redirect_stdout

VERSIONS = {"transformers": "4.57.1", "peft": "0.17.1", "huggingface_hub": "0.35.3", "accelerate": "1.10.1",
            "tokenizers": "0.22.1"}
TOKENIZERS_STUB = '''
import sys, types
__version__ = "0.22.1"
class _Refuse:
    def __init__(self, *a, **k): raise RuntimeError("no tokenizer in the fixture generator")
def _attr(name):
    if name.startswith("__"): raise AttributeError(name)
    return type(name, (_Refuse,), {})
for _sub in ["decoders", "normalizers", "pre_tokenizers", "processors", "models", "trainers"]:
    _m = types.ModuleType(__name__ + "." + _sub)
    _m.__getattr__ = _attr
    sys.modules[_m.__name__] = globals()[_sub] = _m
__getattr__ = _attr
'''


def setup_environment():
    src = os.environ.get("REF_SRC", "/opt/ref/src")
    stubs = tempfile.mkdtemp(prefix="ref_stubs_")
    for name, version in VERSIONS.items():
        d = os.path.join(stubs, f"{name}-{version}.dist-info")
        os.makedirs(d)
        with open(os.path.join(d, "METADATA"), "w") as f:
            f.write(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    os.makedirs(os.path.join(stubs, "tokenizers"))
    with open(os.path.join(stubs, "tokenizers", "__init__.py"), "w") as f:
        f.write(TOKENIZERS_STUB)
    for p in [stubs] + [os.path.join(src, d, "src") for d in ("transformers", "peft", "accelerate", "huggingface_hub")]:
        sys.path.insert(0, p)
    os.environ.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_HUB_DISABLE_TELEMETRY="1")


setup_environment()
import torch  # noqa: E402
import transformers  # noqa: E402
import peft  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

COMMON = dict(vocab_size=256, hidden_size=64, intermediate_size=128, num_attention_heads=4, num_key_value_heads=2,
              head_dim=16, bos_token_id=2, eos_token_id=1, pad_token_id=0, attention_dropout=0.0,
              initializer_range=0.02, torch_dtype="float32")
GEMMA = dict(COMMON, rms_norm_eps=1e-6, hidden_activation="gelu_pytorch_tanh", query_pre_attn_scalar=24,
             sliding_window=5, max_position_embeddings=64, tie_word_embeddings=True)
# long factors 1..4, short ones near 1: with the long ones every frequency is slowed, so the two sets differ
PHI3_LONG = [1.0 + 0.4 * i for i in range(8)]
PHI3_SHORT = [1.0 + 0.05 * i for i in range(8)]

MODELS = {
    "gemma2": ("Gemma2Config", "Gemma2ForCausalLM", dict(
        GEMMA, num_hidden_layers=4, rope_theta=10000.0, attn_logit_softcapping=2.0, final_logit_softcapping=3.0),
        ["q_proj", "v_proj", "o_proj", "down_proj"]),
    "gemma3": ("Gemma3TextConfig", "Gemma3ForCausalLM", dict(
        GEMMA, num_hidden_layers=4, sliding_window_pattern=3, rope_theta=1000000.0, rope_local_base_freq=10000.0,
        rope_scaling={"rope_type": "linear", "factor": 2.0}, attn_logit_softcapping=None,
        final_logit_softcapping=None), ["q_proj", "k_proj", "gate_proj", "down_proj"]),
    "phi3": ("Phi3Config", "Phi3ForCausalLM", dict(
        COMMON, num_hidden_layers=3, hidden_act="silu", rms_norm_eps=1e-5, max_position_embeddings=32,
        original_max_position_embeddings=8, rope_theta=10000.0, sliding_window=5, tie_word_embeddings=False,
        rope_scaling={"type": "su", "short_factor": PHI3_SHORT, "long_factor": PHI3_LONG}),
        ["qkv_proj", "gate_up_proj", "o_proj"]),
    "phi4mini": ("Phi3Config", "Phi3ForCausalLM", dict(
        COMMON, num_hidden_layers=3, hidden_act="silu", rms_norm_eps=1e-5, max_position_embeddings=32,
        original_max_position_embeddings=8, rope_theta=10000.0, partial_rotary_factor=0.75, sliding_window=None,
        tie_word_embeddings=True,
        rope_scaling={"type": "longrope", "short_factor": PHI3_SHORT[:6], "long_factor": PHI3_LONG[:6]}),
        ["qkv_proj", "gate_up_proj", "down_proj"]),
}

# Published configs (tests/fixtures/configs) and the LoRA settings PEFT counts for them.
PUBLISHED = {
    "gemma-2-2b.json": [(["q_proj", "v_proj"], 8), ("all-linear", 16)],
    "gemma-3-1b-it.json": [(["q_proj", "v_proj"], 8), ("all-linear", 16)],
    "phi-3-mini-4k-instruct.json": [(["qkv_proj"], 8), ("all-linear", 16)],
}


def build(name):
    config_class, model_class, kwargs, _ = MODELS[name]
    config = getattr(transformers, config_class)(**kwargs)
    config._attn_implementation = "eager"
    torch.manual_seed(0)
    model = getattr(transformers, model_class)(config).eval()
    gen = torch.Generator().manual_seed(1234)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            values = torch.randn(p.shape, generator=gen)
            if "norm" in pname and p.dim() == 1:
                # Gemma stores w of (1 + w); Phi-3 stores the scale itself
                p.copy_(0.15 * values + (0.0 if name.startswith("gemma") else 1.0))
            elif "embed_tokens" in pname:
                p.copy_(0.12 * values)
            else:
                p.copy_(0.1 * values)
    return model


def lora_model(model, targets):
    cfg = peft.LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=targets, bias="none")
    torch.manual_seed(1)
    pm = peft.get_peft_model(model, cfg)
    gen = torch.Generator().manual_seed(99)
    with torch.no_grad():
        for n, p in pm.named_parameters():
            if "lora_B" in n:
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
    return pm.eval()


def generate(model, ids, new_tokens):
    """Greedy generate() with the cache; for LongRoPE models without it (see below)."""
    # transformers 4.57's Phi3ForCausalLM drops the cache when the sequence first outgrows
    # original_max_position_embeddings and runs the whole sequence again, but passes cache_position
    # [L-1] with it: the mask built for that step is [B, 1, 1, 1], every score is masked alike and
    # attention is uniform over all L keys (future ones included). The recomputation is meant to be
    # the causal forward with the long factors, which is what decoding without a cache computes at
    # every step: that is the reference; the cached result is kept as generate.sequences_cached.
    longrope = (getattr(model.config, "rope_scaling", None) or {}).get("type") == "longrope"
    out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=new_tokens,
                         do_sample=False, output_scores=True, return_dict_in_generate=True, pad_token_id=0,
                         use_cache=not longrope)
    return out.sequences, torch.stack(out.scores)


def generate_cached(model, ids, new_tokens):
    return model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=new_tokens,
                          do_sample=False, pad_token_id=0, use_cache=True)


def softcap_effect(name, model, ids):
    """How much the soft-capping moves the logits (a fixture where it does not would test nothing)."""
    cfg = model.config
    if getattr(cfg, "final_logit_softcapping", None) is None:
        return ""
    with torch.no_grad():
        capped = model(ids).logits
        saved = (cfg.final_logit_softcapping, cfg.attn_logit_softcapping)
        cfg.final_logit_softcapping = None
        for layer in model.model.layers:
            layer.self_attn.attn_logit_softcapping = None
        free = model(ids).logits
        cfg.final_logit_softcapping = saved[0]
        for layer in model.model.layers:
            layer.self_attn.attn_logit_softcapping = saved[1]
    return f", soft-capping moves logits by up to {(capped - free).abs().max().item():.3g}"


def make_model_fixture(name, out_root):
    targets = MODELS[name][3]
    out_dir = os.path.join(out_root, name)
    shutil.rmtree(out_dir, ignore_errors=True)
    model = build(name)
    model.save_pretrained(os.path.join(out_dir, "model"), safe_serialization=True)
    gen = torch.Generator().manual_seed(7)
    ids = torch.randint(3, 256, (2, 16), generator=gen)
    mask = torch.ones_like(ids)
    mask[1, 11:] = 0
    out = {"input_ids": ids, "attention_mask": mask}
    with torch.no_grad():
        full = model(ids, output_hidden_states=True)
        out["logits"] = full.logits
        for i, h in enumerate(full.hidden_states):
            out[f"hidden_states.{i}"] = h
        out["logits_masked"] = model(ids, attention_mask=mask).logits
        out["logits_short"] = model(ids[:, :6]).logits  # Phi-3: positions within original_max_position_embeddings
        out["generate.sequences"], out["generate.scores"] = generate(model, ids[:, :6], 10)
        cached = generate_cached(model, ids[:, :6], 10)
        if not torch.equal(cached, out["generate.sequences"]):
            out["generate.sequences_cached"] = cached
    note = softcap_effect(name, model, ids)

    pm = lora_model(model, targets)
    pm.save_pretrained(os.path.join(out_dir, "adapter"), safe_serialization=True)
    readme = os.path.join(out_dir, "adapter", "README.md")
    if os.path.exists(readme):
        os.remove(readme)
    trainable, total = pm.get_nb_trainable_parameters()
    buf = io.StringIO()
    with redirect_stdout(buf):
        pm.print_trainable_parameters()
    out["peft_counts"] = torch.tensor([trainable, total], dtype=torch.int64)
    with torch.no_grad():
        out["logits_lora"] = pm(ids).logits
        out["logits_lora_masked"] = pm(ids, attention_mask=mask).logits
        out["generate.sequences_lora"], _ = generate(pm, ids[:, :6], 10)
        cached = generate_cached(pm, ids[:, :6], 10)
        if not torch.equal(cached, out["generate.sequences_lora"]):
            out["generate.sequences_lora_cached"] = cached
    # one next-token loss and the LoRA gradients (labels = ids: transformers shifts them)
    result = pm(input_ids=ids, labels=ids)
    result.loss.backward()
    out["loss_lora"] = result.loss.detach().reshape(1).to(torch.float64)
    for n, p in pm.named_parameters():
        if p.requires_grad:
            out["grad." + n.replace(".default", "")] = p.grad.detach().clone()
    with torch.no_grad():
        merged = pm.merge_and_unload()
        out["logits_merged"] = merged(ids).logits
    save_file({k: v.contiguous() for k, v in out.items()}, os.path.join(out_dir, "expected.safetensors"),
              metadata={"format": "pt"})
    size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(out_dir) for f in fs)
    print(f"{name}: {buf.getvalue().strip()}; loss {result.loss.item():.6f}; "
          f"greedy {out['generate.sequences'][:, 6:].tolist()}; "
          f"cached generate() differs: {'generate.sequences_cached' in out}/{'generate.sequences_lora_cached' in out}; "
          f"|lora - merged| {(out['logits_lora'] - out['logits_merged']).abs().max().item():.3g}{note}; "
          f"{size / 1024:.0f} KiB")


def published_counts(configs_dir):
    """PEFT's counts for real configs, the models built on the meta device (no weights)."""
    counts = {}
    for file, cases in PUBLISHED.items():
        config = transformers.AutoConfig.from_pretrained(os.path.join(configs_dir, file))
        entries = []
        for targets, r in cases:
            with torch.device("meta"):
                model = transformers.AutoModelForCausalLM.from_config(config)
            base = model.num_parameters()
            pm = peft.get_peft_model(model, peft.LoraConfig(r=r, lora_alpha=2 * r, target_modules=targets))
            trainable, total = pm.get_nb_trainable_parameters()
            buf = io.StringIO()
            with redirect_stdout(buf):
                pm.print_trainable_parameters()
            entries.append({"target_modules": targets, "r": r, "base_parameters": base, "trainable": trainable,
                            "all": total, "line": buf.getvalue().strip()})
            print(f"{file} {targets} r={r}: base {base:,}; {entries[-1]['line']}")
        counts[file] = entries
    return counts


def main():
    out_root, configs_dir = sys.argv[1], sys.argv[2]
    print(f"transformers {transformers.__version__}, peft {peft.__version__}, torch {torch.__version__}")
    torch.set_num_threads(1)
    for name in MODELS:
        make_model_fixture(name, out_root)
    with open(os.path.join(out_root, "published_counts.json"), "w") as f:
        json.dump(published_counts(configs_dir), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
