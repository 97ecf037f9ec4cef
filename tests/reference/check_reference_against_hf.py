#!/usr/bin/env python3
"""Validates make_tiny_models.py's plain-PyTorch reference on the Hugging Face fixtures it can
read (llama, qwen2 in ../shared/fixtures/models): logits, hidden states, right-padded logits,
loss and greedy generation must agree with what transformers computed.

Run: /usr/bin/python3 tests/reference/check_reference_against_hf.py [fixtures/models dir]
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_tiny_models as ref  # noqa: E402


def read_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    types = {"F32": np.float32, "I64": np.int64}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[b:e], dtype=types[info["dtype"]]).reshape(info["shape"]).copy())
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "fixtures", "models")
    worst = 0.0
    for name in ["llama", "qwen2"]:
        cfg = json.load(open(os.path.join(root, name, "model", "config.json")))
        W = read_safetensors(os.path.join(root, name, "model", "model.safetensors"))
        E = read_safetensors(os.path.join(root, name, "logits.safetensors"))
        ids = E["input_ids"]
        logits, hidden = ref.forward(cfg, W, ids)
        diffs = {"logits": (logits - E["logits"]).abs().max().item()}
        for k, h in enumerate(hidden):
            diffs[f"hidden_states.{k}"] = (h - E[f"hidden_states.{k}"]).abs().max().item()
        mask = E["attention_mask"]
        masked, _ = ref.forward(cfg, W, ids, mask)  # transformers' forward: positions 0..T-1
        keep = mask.bool()
        diffs["logits_masked"] = (masked - E["logits_masked"]).abs()[keep].max().item()
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1))
        diffs["loss"] = abs(loss.item() - E["loss"].item())
        seq, scores, _ = ref.greedy(cfg, W, ids[:, :8], torch.ones(2, 8, dtype=torch.int64), 8)
        diffs["generate.scores"] = (scores - E["generate.scores"]).abs().max().item()
        same = torch.equal(seq, E["generate.sequences"])
        print(name, "sequences equal:", same, {k: f"{v:.2e}" for k, v in diffs.items()})
        worst = max(worst, max(diffs.values()))
        assert same
    assert worst < 1e-4, worst
    print("reference agrees with transformers; worst difference", f"{worst:.2e}")


if __name__ == "__main__":
    main()
