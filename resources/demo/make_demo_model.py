#!/usr/bin/python3
"""Reproduces resources/demo/model: a tiny GPT-2 (about 1M parameters) and its byte-level BPE
tokenizer, trained from scratch on a corpus this script generates from templates.

Stopgap until lorastudio-cli can pretrain on its own: plain PyTorch (Debian's python3-torch),
no transformers, no tokenizers library. Deterministic for a given seed on one machine.
Usage: /usr/bin/python3 resources/demo/make_demo_model.py [--out resources/demo/model] [--steps 1500]
"""
import argparse
import json
import math
import os
import random
import re
import struct
import time

import torch
import torch.nn.functional as F

# ---------------------------------------------------------------- corpus

ANIMALS = ["cat", "dog", "fox", "owl", "horse", "rabbit", "duck", "goat", "bear", "mouse"]
LEGS = {"cat": 4, "dog": 4, "fox": 4, "owl": 2, "horse": 4, "rabbit": 4, "duck": 2, "goat": 4,
        "bear": 4, "mouse": 4}
COLORS = ["red", "blue", "green", "yellow", "brown", "white", "black", "grey"]
PLACES = ["garden", "forest", "river", "hill", "field", "barn", "village", "lake"]
VERBS = ["runs to", "walks to", "sleeps near", "looks at", "waits by", "plays in"]
TIMES = ["In the morning", "At noon", "In the evening", "At night", "After the rain"]
FOODS = {"cat": "fish", "dog": "bones", "fox": "berries", "owl": "mice", "horse": "hay",
         "rabbit": "carrots", "duck": "bread", "goat": "grass", "bear": "honey", "mouse": "cheese"}


def sentence(rng):
    a = rng.choice(ANIMALS)
    kind = rng.randrange(7)
    if kind == 0:
        return f"The {rng.choice(COLORS)} {a} {rng.choice(VERBS)} the {rng.choice(PLACES)}."
    if kind == 1:
        return f"A {a} has {LEGS[a]} legs."
    if kind == 2:
        return f"The {a} likes to eat {FOODS[a]}."
    if kind == 3:
        x, y = rng.randrange(10), rng.randrange(10)
        return f"{x} plus {y} is {x + y}."
    if kind == 4:
        return f"{rng.choice(TIMES)}, the {a} {rng.choice(VERBS)} the {rng.choice(PLACES)}."
    if kind == 5:
        n = rng.randrange(2, 9)
        return f"There are {n} {a}s in the {rng.choice(PLACES)}."
    return f"The {a} and the {rng.choice(ANIMALS)} are friends."


def make_corpus(rng, n_paragraphs):
    paragraphs = []
    for _ in range(n_paragraphs):
        paragraphs.append(" ".join(sentence(rng) for _ in range(rng.randrange(3, 7))))
    return "\n".join(paragraphs) + "\n"

# ---------------------------------------------------------------- byte-level BPE


def bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable unicode characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


# On ASCII text this equals GPT-2's pattern (\p{L} -> letters, \p{N} -> digits).
PRETOKENIZE = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+")


def train_bpe(text, n_merges):
    b2u = bytes_to_unicode()
    words = {}
    for w in PRETOKENIZE.findall(text):
        key = tuple(b2u[b] for b in w.encode("utf-8"))
        words[key] = words.get(key, 0) + 1
    merges = []
    for _ in range(n_merges):
        pairs = {}
        for w, c in words.items():
            for p in zip(w, w[1:]):
                pairs[p] = pairs.get(p, 0) + c
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
        merges.append(best)
        merged = {}
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + c
        words = merged
    vocab = {}
    for b in range(256):
        vocab.setdefault(b2u[b], len(vocab))
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    return vocab, merges


def encode(text, vocab, merges):
    b2u = bytes_to_unicode()
    ranks = {m: i for i, m in enumerate(merges)}
    ids = []
    for w in PRETOKENIZE.findall(text):
        parts = [b2u[b] for b in w.encode("utf-8")]
        while len(parts) > 1:
            cand = [(ranks.get((parts[i], parts[i + 1]), 1 << 30), i) for i in range(len(parts) - 1)]
            r, i = min(cand)
            if r == 1 << 30:
                break
            parts[i:i + 2] = [parts[i] + parts[i + 1]]
        ids.extend(vocab[p] for p in parts)
    return ids


def tokenizer_json(vocab, merges, eos):
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": vocab[eos], "content": eos, "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": True, "special": True}],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                          "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False,
                           "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
                  "vocab": vocab, "merges": [f"{a} {b}" for a, b in merges]},
    }

# ---------------------------------------------------------------- GPT-2 in plain torch


class Block(torch.nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln_1 = torch.nn.LayerNorm(d)
        self.ln_2 = torch.nn.LayerNorm(d)
        # Conv1D layout as in transformers: weight [in, out].
        self.c_attn_w = torch.nn.Parameter(torch.randn(d, 3 * d) * 0.02)
        self.c_attn_b = torch.nn.Parameter(torch.zeros(3 * d))
        self.c_proj_w = torch.nn.Parameter(torch.randn(d, d) * 0.02)
        self.c_proj_b = torch.nn.Parameter(torch.zeros(d))
        self.c_fc_w = torch.nn.Parameter(torch.randn(d, 4 * d) * 0.02)
        self.c_fc_b = torch.nn.Parameter(torch.zeros(4 * d))
        self.mlp_proj_w = torch.nn.Parameter(torch.randn(4 * d, d) * 0.02)
        self.mlp_proj_b = torch.nn.Parameter(torch.zeros(d))

    def forward(self, x):  # x: [B, T, C] -> [B, T, C]
        B, T, C = x.shape
        q, k, v = (self.ln_1(x) @ self.c_attn_w + self.c_attn_b).split(C, dim=2)
        q, k, v = (t.view(B, T, self.h, C // self.h).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(C // self.h)
        mask = torch.ones(T, T, dtype=torch.bool).tril()
        att = att.masked_fill(~mask, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        x = x + y @ self.c_proj_w + self.c_proj_b
        hdn = F.gelu(self.ln_2(x) @ self.c_fc_w + self.c_fc_b, approximate="tanh")
        return x + hdn @ self.mlp_proj_w + self.mlp_proj_b


class TinyGPT2(torch.nn.Module):
    def __init__(self, vocab, d, layers, heads, positions):
        super().__init__()
        self.wte = torch.nn.Parameter(torch.randn(vocab, d) * 0.02)
        self.wpe = torch.nn.Parameter(torch.randn(positions, d) * 0.01)
        self.blocks = torch.nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f = torch.nn.LayerNorm(d)

    def forward(self, ids):  # ids: [B, T] -> logits [B, T, V]
        x = self.wte[ids] + self.wpe[: ids.shape[1]]
        for b in self.blocks:
            x = b(x)
        return self.ln_f(x) @ self.wte.t()

    def hf_state_dict(self):
        sd = {"transformer.wte.weight": self.wte, "transformer.wpe.weight": self.wpe,
              "transformer.ln_f.weight": self.ln_f.weight, "transformer.ln_f.bias": self.ln_f.bias}
        for i, b in enumerate(self.blocks):
            p = f"transformer.h.{i}."
            sd.update({p + "ln_1.weight": b.ln_1.weight, p + "ln_1.bias": b.ln_1.bias,
                       p + "ln_2.weight": b.ln_2.weight, p + "ln_2.bias": b.ln_2.bias,
                       p + "attn.c_attn.weight": b.c_attn_w, p + "attn.c_attn.bias": b.c_attn_b,
                       p + "attn.c_proj.weight": b.c_proj_w, p + "attn.c_proj.bias": b.c_proj_b,
                       p + "mlp.c_fc.weight": b.c_fc_w, p + "mlp.c_fc.bias": b.c_fc_b,
                       p + "mlp.c_proj.weight": b.mlp_proj_w, p + "mlp.c_proj.bias": b.mlp_proj_b})
        return {k: v.detach().contiguous() for k, v in sd.items()}


def write_safetensors(path, tensors):
    """Minimal F32 safetensors writer (the format is an 8-byte header length, JSON, raw data)."""
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name in sorted(tensors):
        data = tensors[name].float().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "model"))
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)

    text = make_corpus(rng, 4000)
    eos = "<|endoftext|>"
    vocab, merges = train_bpe(text, 250)
    vocab[eos] = len(vocab)
    ids = torch.tensor(encode(text, vocab, merges), dtype=torch.long)
    print(f"corpus {len(text)} chars -> {len(ids)} tokens, vocab {len(vocab)}")

    d, layers, heads, positions, T = 128, 4, 4, 256, 64
    model = TinyGPT2(len(vocab), d, layers, heads, positions)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    start = time.time()
    for step in range(args.steps):
        starts = torch.randint(0, len(ids) - T - 1, (32,))
        x = torch.stack([ids[s:s + T] for s in starts])
        y = torch.stack([ids[s + 1:s + T + 1] for s in starts])
        loss = F.cross_entropy(model(x).flatten(0, 1), y.flatten())
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0:
            print(f"step {step} loss {loss.item():.3f} ({time.time() - start:.0f} s)", flush=True)

    os.makedirs(args.out, exist_ok=True)
    write_safetensors(os.path.join(args.out, "model.safetensors"), model.hf_state_dict())
    write_json(os.path.join(args.out, "config.json"), {
        "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "activation_function": "gelu_new",
        "vocab_size": len(vocab), "n_embd": d, "n_layer": layers, "n_head": heads,
        "n_positions": positions, "n_inner": None, "layer_norm_epsilon": 1e-5,
        "attn_pdrop": 0.0, "embd_pdrop": 0.0, "resid_pdrop": 0.0, "scale_attn_weights": True,
        "bos_token_id": vocab[eos], "eos_token_id": vocab[eos], "tie_word_embeddings": True,
        "torch_dtype": "float32"})
    write_json(os.path.join(args.out, "generation_config.json"),
               {"bos_token_id": vocab[eos], "eos_token_id": vocab[eos]})
    write_json(os.path.join(args.out, "tokenizer.json"), tokenizer_json(vocab, merges, eos))
    write_json(os.path.join(args.out, "tokenizer_config.json"), {
        "add_bos_token": False, "add_prefix_space": False, "bos_token": eos, "eos_token": eos,
        "unk_token": eos, "model_max_length": positions, "tokenizer_class": "GPT2Tokenizer"})
    with open(os.path.join(args.out, "corpus_sample.txt"), "w") as f:
        f.write(text[:2000])
    print(f"wrote {args.out} after {args.steps} steps, final loss {loss.item():.3f}")


if __name__ == "__main__":
    main()
