#!/usr/bin/env python3
"""The same GPT-2-shaped forward as bench_forward.cpp, in plain PyTorch ops (no transformers), for
a side-by-side tokens/s figure. Same shapes, fp32, inference mode, same thread count.
Usage: /usr/bin/python3 bench/forward_reference.py [--threads N] [--batch B] [--seq T] [--repeats R] [--layers L] [--vocab V]
"""
import argparse
import math
import time

import torch
import torch.nn.functional as F


def make_weights(layers, vocab, C=768, I=3072, P=1024, std=0.02):
    g = torch.Generator().manual_seed(1234)
    r = lambda *s: torch.randn(*s, generator=g) * std
    W = {"wte": r(vocab, C), "wpe": r(P, C), "ln_f.w": 1 + r(C), "ln_f.b": r(C), "h": []}
    for _ in range(layers):
        W["h"].append({"ln_1.w": 1 + r(C), "ln_1.b": r(C), "c_attn.w": r(C, 3 * C), "c_attn.b": r(3 * C),
                       "c_proj.w": r(C, C), "c_proj.b": r(C), "ln_2.w": 1 + r(C), "ln_2.b": r(C),
                       "c_fc.w": r(C, I), "c_fc.b": r(I), "mlp_proj.w": r(I, C), "mlp_proj.b": r(C)})
    return W


def conv1d(x, w, b):  # GPT-2 Conv1D: weight [in, out]
    return torch.addmm(b, x.reshape(-1, x.size(-1)), w).view(*x.shape[:-1], w.size(1))


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def forward(W, ids, heads=12):
    B, T = ids.shape
    C = W["wte"].size(1)
    D = C // heads
    h = W["wte"][ids] + W["wpe"][torch.arange(T)][None]
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    for L in W["h"]:
        x = F.layer_norm(h, (C,), L["ln_1.w"], L["ln_1.b"], 1e-5)
        q, k, v = conv1d(x, L["c_attn.w"], L["c_attn.b"]).split(C, dim=2)
        q, k, v = (t.view(B, T, heads, D).transpose(1, 2) for t in (q, k, v))
        s = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(D)
        s = s.masked_fill(~causal, torch.finfo(s.dtype).min)
        p = F.softmax(s, dim=-1, dtype=torch.float32)
        a = torch.matmul(p, v).transpose(1, 2).reshape(B, T, C)
        h = h + conv1d(a, L["c_proj.w"], L["c_proj.b"])
        x = F.layer_norm(h, (C,), L["ln_2.w"], L["ln_2.b"], 1e-5)
        h = h + conv1d(gelu_new(conv1d(x, L["c_fc.w"], L["c_fc.b"])), L["mlp_proj.w"], L["mlp_proj.b"])
    h = F.layer_norm(h, (C,), W["ln_f.w"], W["ln_f.b"], 1e-5)
    return F.linear(h, W["wte"])


def main():
    ap = argparse.ArgumentParser()
    for name, default in [("threads", 1), ("batch", 1), ("seq", 256), ("repeats", 5), ("layers", 12), ("vocab", 50257)]:
        ap.add_argument("--" + name, type=int, default=default)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    W = make_weights(a.layers, a.vocab)
    n_params = sum(t.numel() for k, t in W.items() if k != "h") + sum(t.numel() for L in W["h"] for t in L.values())
    ids = torch.randint(0, a.vocab, (a.batch, a.seq))
    with torch.inference_mode():
        forward(W, ids)  # warm-up
        times, cpu_times = [], []
        for _ in range(a.repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            forward(W, ids)
            cpu_times.append(time.process_time() - c0)
            times.append(time.perf_counter() - t0)
    med, cpu = sorted(times)[len(times) // 2], sorted(cpu_times)[len(cpu_times) // 2]
    print(f"Python PyTorch {torch.__version__:<9} params {n_params / 1e6:.1f}M  batch {a.batch} x seq {a.seq}  "
          f"threads {a.threads}  median wall {med:.3f} s  {a.batch * a.seq / med:6.0f} tokens/s  (cpu {cpu:.3f} s)")


if __name__ == "__main__":
    main()
