#!/usr/bin/env python3
"""The same LoRA training step as bench_train_step.cpp, in plain PyTorch ops (no transformers, no
PEFT), for a side-by-side tokens/s figure: random GPT-2-shaped model (frozen, fp32), LoRA r on every
linear layer but the head (B(A(dropout(x))) * alpha/r), next-token cross-entropy, backward,
clip_grad_norm_(1.0), torch.optim.AdamW on the LoRA parameters, grads set to None. Same shapes,
same thread count, 2 untimed warm-up steps. Wall and CPU time (process_time) per step.
Usage: /usr/bin/python3 bench/train_step_reference.py [--threads N] [--batch B] [--seq T] [--steps S]
       [--layers L] [--hidden C] [--heads H] [--vocab V] [--r R]
"""
import argparse
import math
import resource
import time

import torch
import torch.nn.functional as F


def make_weights(layers, vocab, C, P, std=0.02):
    g = torch.Generator().manual_seed(1234)
    r = lambda *s: torch.randn(*s, generator=g) * std
    I = 4 * C
    W = {"wte": r(vocab, C), "wpe": r(P, C), "ln_f.w": 1 + r(C), "ln_f.b": r(C), "h": []}
    for _ in range(layers):
        W["h"].append({"ln_1.w": 1 + r(C), "ln_1.b": r(C), "c_attn.w": r(C, 3 * C), "c_attn.b": r(3 * C),
                       "c_proj.w": r(C, C), "c_proj.b": r(C), "ln_2.w": 1 + r(C), "ln_2.b": r(C),
                       "c_fc.w": r(C, I), "c_fc.b": r(I), "mlp_proj.w": r(I, C), "mlp_proj.b": r(C)})
    return W


def make_lora(W, rank):
    """A [r, in] kaiming-uniform, B [out, r] zeros, for the four Conv1D layers of each block."""
    lora = []
    for L in W["h"]:
        layer = {}
        for name in ("c_attn", "c_proj", "c_fc", "mlp_proj"):
            w = L[name + ".w"]  # Conv1D: [in, out]
            bound = 1 / math.sqrt(w.size(0))
            A = torch.empty(rank, w.size(0)).uniform_(-bound, bound).requires_grad_()
            B = torch.zeros(w.size(1), rank).requires_grad_()
            layer[name] = (A, B)
        lora.append(layer)
    return lora


def conv1d_lora(x, w, b, ab, scaling, p, training=True):  # GPT-2 Conv1D [in, out] + LoRA
    y = torch.addmm(b, x.reshape(-1, x.size(-1)), w).view(*x.shape[:-1], w.size(1))
    A, B = ab
    return y + F.linear(F.linear(F.dropout(x, p, training), A), B) * scaling


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def forward(W, lora, ids, heads, scaling, p):
    B, T = ids.shape
    C = W["wte"].size(1)
    D = C // heads
    h = W["wte"][ids] + W["wpe"][torch.arange(T)][None]
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    for L, R in zip(W["h"], lora):
        x = F.layer_norm(h, (C,), L["ln_1.w"], L["ln_1.b"], 1e-5)
        q, k, v = conv1d_lora(x, L["c_attn.w"], L["c_attn.b"], R["c_attn"], scaling, p).split(C, dim=2)
        q, k, v = (t.view(B, T, heads, D).transpose(1, 2) for t in (q, k, v))
        s = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(D)
        s = s.masked_fill(~causal, torch.finfo(s.dtype).min)
        a = torch.matmul(F.softmax(s, dim=-1, dtype=torch.float32), v).transpose(1, 2).reshape(B, T, C)
        h = h + conv1d_lora(a, L["c_proj.w"], L["c_proj.b"], R["c_proj"], scaling, p)
        x = F.layer_norm(h, (C,), L["ln_2.w"], L["ln_2.b"], 1e-5)
        f = gelu_new(conv1d_lora(x, L["c_fc.w"], L["c_fc.b"], R["c_fc"], scaling, p))
        h = h + conv1d_lora(f, L["mlp_proj.w"], L["mlp_proj.b"], R["mlp_proj"], scaling, p)
    h = F.layer_norm(h, (C,), W["ln_f.w"], W["ln_f.b"], 1e-5)
    return F.linear(h, W["wte"])  # [B, T, V]


def main():
    ap = argparse.ArgumentParser()
    for name, default in [("threads", 1), ("batch", 4), ("seq", 128), ("steps", 10), ("layers", 6),
                          ("hidden", 512), ("heads", 8), ("vocab", 8192), ("r", 8)]:
        ap.add_argument("--" + name, type=int, default=default)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1234)
    P = max(1024, a.seq)
    W = make_weights(a.layers, a.vocab, a.hidden, P)
    lora = make_lora(W, a.r)
    params = [t for layer in lora for ab in layer.values() for t in ab]
    n_params = sum(t.numel() for k, t in W.items() if k != "h") + sum(t.numel() for L in W["h"] for t in L.values())
    opt = torch.optim.AdamW(params, lr=2e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    ids = torch.randint(0, 490, (a.batch, a.seq))  # the demo tokenizer's ids, as the C++ bench
    scaling = 2.0 * a.r / a.r
    times, cpu_times = [], []
    for step in range(a.steps + 2):
        t0, c0 = time.perf_counter(), time.process_time()
        logits = forward(W, lora, ids, a.heads, scaling, 0.05)
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        loss.item()
        if step >= 2:
            times.append(time.perf_counter() - t0)
            cpu_times.append(time.process_time() - c0)
    med = sorted(times)[len(times) // 2]
    cpu = sorted(cpu_times)[len(cpu_times) // 2]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Python PyTorch {torch.__version__}  params {n_params / 1e6:.1f}M  LoRA r={a.r} "
          f"{sum(p.numel() for p in params) / 1e6:.2f}M  batch {a.batch} x seq {a.seq}  threads {a.threads}  "
          f"median step {med:.3f} s wall ({a.batch * a.seq / med:.0f} tokens/s), {cpu:.3f} s CPU "
          f"({a.batch * a.seq / cpu:.0f} tokens/CPU-s)  peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
