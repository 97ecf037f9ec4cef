#!/usr/bin/env python3
"""Tiny random Qwen3 / Mistral / Llama-3 models and what an independent plain-PyTorch reference
computes with them, for architectures the Hugging Face fixtures in ../shared/fixtures do not cover.

The formulas follow transformers' modeling_llama / modeling_mistral / modeling_qwen3 and
modeling_rope_utils (eager attention, fp32): RMSNorm in fp32, rotate-half RoPE with default,
linear and llama3 frequency scaling, grouped-query attention by repeat_kv, softmax in fp32 over
scores masked with finfo.min, Mistral's sliding window (a key is visible iff 0 <= q - k < window),
Qwen3's per-head q_norm/k_norm before RoPE. Greedy decoding recomputes the full sequence every
step (no cache) with transformers' positions: cumsum(mask) - 1, padding positions set to 1.

Run with Debian's torch:  /usr/bin/python3 tests/reference/make_tiny_models.py
Writes tests/fixtures/tiny_models/<name>/{model/config.json, model/model.safetensors, expected.safetensors}.
"""
import json
import math
import os
import struct

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "tiny_models")

COMMON = {
    "vocab_size": 96, "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 128,
    "rms_norm_eps": 1e-6, "hidden_act": "silu", "initializer_range": 0.02, "torch_dtype": "float32",
    "bos_token_id": 1, "eos_token_id": 2, "attention_dropout": 0.0, "use_cache": True,
}

MODELS = {
    # per-head q/k RMSNorm, head_dim (16) != hidden / heads (8), tied embeddings, large theta
    "qwen3": dict(COMMON, architectures=["Qwen3ForCausalLM"], model_type="qwen3", head_dim=16,
                  attention_bias=False, tie_word_embeddings=True, rope_theta=1000000.0,
                  rope_scaling=None, use_sliding_window=False, sliding_window=None, max_window_layers=2),
    # sliding window of 4 (shorter than the sequences), linear RoPE scaling under the old key "type"
    "mistral": dict(COMMON, architectures=["MistralForCausalLM"], model_type="mistral", sliding_window=4,
                    rope_theta=10000.0, rope_scaling={"type": "linear", "factor": 2.0},
                    tie_word_embeddings=False),
    # Llama 3.1 RoPE: with head_dim 8 and original context 64 the four frequencies fall in all
    # three regimes (kept, smoothed, divided); q/k/v/o and MLP biases on; several eos ids
    "llama3": dict(COMMON, architectures=["LlamaForCausalLM"], model_type="llama", rope_theta=10000.0,
                   rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                 "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
                   attention_bias=True, mlp_bias=True, tie_word_embeddings=False, eos_token_id=[2, 3]),
}


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def head_dim(cfg):
    return cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]


def parameter_shapes(cfg):
    C, I, V = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    H, Hkv, D = cfg["num_attention_heads"], cfg["num_key_value_heads"], head_dim(cfg)
    arch = cfg["architectures"][0]
    qkv_bias = cfg.get("attention_bias", False) or arch == "Qwen2ForCausalLM"
    o_bias = cfg.get("attention_bias", False)
    mlp_bias = cfg.get("mlp_bias", False)
    shapes = {"model.embed_tokens.weight": [V, C], "model.norm.weight": [C]}
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        for name, out_f, in_f, bias in [("self_attn.q_proj", H * D, C, qkv_bias), ("self_attn.k_proj", Hkv * D, C, qkv_bias),
                                        ("self_attn.v_proj", Hkv * D, C, qkv_bias), ("self_attn.o_proj", C, H * D, o_bias),
                                        ("mlp.gate_proj", I, C, mlp_bias), ("mlp.up_proj", I, C, mlp_bias),
                                        ("mlp.down_proj", C, I, mlp_bias)]:
            shapes[p + name + ".weight"] = [out_f, in_f]
            if bias:
                shapes[p + name + ".bias"] = [out_f]
        shapes[p + "input_layernorm.weight"] = [C]
        shapes[p + "post_attention_layernorm.weight"] = [C]
        if arch == "Qwen3ForCausalLM":
            shapes[p + "self_attn.q_norm.weight"] = [D]
            shapes[p + "self_attn.k_norm.weight"] = [D]
    if not cfg.get("tie_word_embeddings", False):
        shapes["lm_head.weight"] = [V, C]
    return shapes


def random_weights(cfg, gen):
    weights = {}
    for name, shape in parameter_shapes(cfg).items():
        if name.endswith("norm.weight"):  # norms near 1 but not 1, so ignoring them fails
            weights[name] = 1.0 + 0.2 * torch.randn(shape, generator=gen)
        else:
            weights[name] = 0.2 * torch.randn(shape, generator=gen)
    return weights


def rms_norm(x, w, eps):
    dtype = x.dtype
    h = x.to(torch.float32)
    h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + eps)
    return w * h.to(dtype)


def inv_freq(cfg):
    D = head_dim(cfg)
    base = cfg["rope_theta"]
    inv = 1.0 / (base ** (torch.arange(0, D, 2, dtype=torch.int64).float() / D))
    rs = cfg.get("rope_scaling")
    if not rs:
        return inv
    kind = rs.get("rope_type", rs.get("type"))
    if kind == "linear":
        return inv / rs["factor"]
    if kind == "llama3":
        factor, low, high = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"]
        old = rs["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old / low, old / high
        wavelen = 2 * math.pi / inv
        inv_l = torch.where(wavelen > low_wavelen, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * inv_l / factor + smooth * inv_l
        medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
        return torch.where(medium, smoothed, inv_l)
    raise ValueError(kind)


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def repeat_kv(x, n):
    b, h, s, d = x.shape
    return x[:, :, None].expand(b, h, n, s, d).reshape(b, h * n, s, d)


def forward(cfg, W, ids, mask=None, pos=None):
    """-> logits [B, T, V], hidden states (L + 1) x [B, T, C]."""
    B, T = ids.shape
    C, H, Hkv, D = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"], head_dim(cfg)
    eps = cfg["rms_norm_eps"]
    if pos is None:
        pos = torch.arange(T).unsqueeze(0).expand(B, T)
    inv = inv_freq(cfg)
    freqs = (inv[None, :, None].expand(B, -1, 1) @ pos[:, None, :].float()).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos()[:, None], emb.sin()[:, None]  # [B, 1, T, D]

    i = torch.arange(T)[:, None]
    j = torch.arange(T)[None, :]
    allowed = (j <= i)[None, None].expand(B, 1, T, T)
    window = cfg.get("sliding_window") if cfg["architectures"][0] == "MistralForCausalLM" else None
    if window:
        allowed = allowed & ((i - j) < window)[None, None]
    if mask is not None:
        allowed = allowed & mask.bool()[:, None, None, :]
    additive = torch.zeros(B, 1, T, T).masked_fill(~allowed, torch.finfo(torch.float32).min)

    h = W["model.embed_tokens.weight"][ids]
    hidden = [h]
    for l in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{l}."
        x = rms_norm(h, W[p + "input_layernorm.weight"], eps)
        lin = lambda name, t: F.linear(t, W[p + name + ".weight"], W.get(p + name + ".bias"))
        q = lin("self_attn.q_proj", x).view(B, T, H, D)
        k = lin("self_attn.k_proj", x).view(B, T, Hkv, D)
        v = lin("self_attn.v_proj", x).view(B, T, Hkv, D).transpose(1, 2)
        if p + "self_attn.q_norm.weight" in W:
            q = rms_norm(q, W[p + "self_attn.q_norm.weight"], eps)
            k = rms_norm(k, W[p + "self_attn.k_norm.weight"], eps)
        q, k = q.transpose(1, 2), k.transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k, v = repeat_kv(k, H // Hkv), repeat_kv(v, H // Hkv)
        scores = torch.matmul(q, k.transpose(2, 3)) * D ** -0.5 + additive
        probs = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        o = torch.matmul(probs, v).transpose(1, 2).reshape(B, T, H * D)
        h = h + lin("self_attn.o_proj", o)
        x = rms_norm(h, W[p + "post_attention_layernorm.weight"], eps)
        h = h + lin("mlp.down_proj", F.silu(lin("mlp.gate_proj", x)) * lin("mlp.up_proj", x))
        hidden.append(h)
    h = rms_norm(h, W["model.norm.weight"], eps)
    hidden[-1] = h
    head = W.get("lm_head.weight", W["model.embed_tokens.weight"])
    return F.linear(h, head), hidden


def generation_positions(mask):
    return (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)


def greedy(cfg, W, ids, mask, steps):
    """Full recompute per step (no KV cache). -> sequences [B, T + steps], scores [steps, B, V], min top-2 gap."""
    scores, gap = [], float("inf")
    for _ in range(steps):
        logits, _ = forward(cfg, W, ids, mask, generation_positions(mask))
        last = logits[:, -1, :]
        top2 = last.topk(2, dim=-1).values
        gap = min(gap, (top2[:, 0] - top2[:, 1]).min().item())
        scores.append(last)
        ids = torch.cat([ids, last.argmax(-1, keepdim=True)], dim=1)
        mask = torch.cat([mask, torch.ones(mask.shape[0], 1, dtype=mask.dtype)], dim=1)
    return ids, torch.stack(scores), gap


def make(name, cfg, seed):
    gen = torch.Generator().manual_seed(seed)
    W = random_weights(cfg, gen)
    B, T, prompt, steps = 2, 12, 6, 6
    V = cfg["vocab_size"]
    ids = torch.randint(3, V, (B, T), generator=gen)  # avoid bos/eos ids so generation runs full length
    logits, hidden = forward(cfg, W, ids)
    # Row 1 left-padded by 3: the forward a batched generate() does, with its positions.
    mask = torch.ones(B, T, dtype=torch.int64)
    mask[1, :3] = 0
    logits_masked, _ = forward(cfg, W, ids, mask, generation_positions(mask))
    # Greedy generation from a left-padded prompt (row 1: 2 padding tokens).
    gmask = torch.ones(B, prompt, dtype=torch.int64)
    gmask[1, :2] = 0
    sequences, scores, gap = greedy(cfg, W, ids[:, :prompt], gmask, steps)
    shift_logits, shift_labels = logits[:, :-1].reshape(-1, V), ids[:, 1:].reshape(-1)
    loss = F.cross_entropy(shift_logits, shift_labels)

    folder = os.path.join(OUT, name)
    os.makedirs(os.path.join(folder, "model"), exist_ok=True)
    with open(os.path.join(folder, "model", "config.json"), "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")
    write_safetensors(os.path.join(folder, "model", "model.safetensors"), W)
    expected = {"input_ids": ids, "logits": logits, "attention_mask": mask, "logits_masked": logits_masked,
                "generate.attention_mask": gmask, "generate.sequences": sequences, "generate.scores": scores,
                "loss": loss.reshape(1)}
    for k, hs in enumerate(hidden):
        expected[f"hidden_states.{k}"] = hs
    write_safetensors(os.path.join(folder, "expected.safetensors"), expected)
    print(f"{name}: {sum(w.numel() for w in W.values())} parameters, loss {loss.item():.5f}, "
          f"greedy min top-2 gap {gap:.4f}")
    assert gap > 1e-3, "greedy decoding too close to a tie; pick another seed"


if __name__ == "__main__":
    torch.set_num_threads(1)
    for n, (name, cfg) in enumerate(MODELS.items()):
        make(name, cfg, seed=1234 + n)
