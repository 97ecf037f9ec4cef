#!/usr/bin/python3
"""The reference for bench_load: the same safetensors folder loaded in plain Python PyTorch the
way transformers does it (mmap the file, view each tensor, copy into freshly allocated parameters).
Usage: /usr/bin/python3 bench/load_reference.py DIR
"""
import json
import mmap
import os
import struct
import sys
import time

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}


def status_kib(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1])
    return -1


def main():
    path = os.path.join(sys.argv[1], "model.safetensors")
    base = status_kib("VmRSS:")
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    n = struct.unpack("<Q", mm[:8])[0]
    header = json.loads(mm[8:8 + n])
    header.pop("__metadata__", None)
    params = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        view = torch.frombuffer(mm, dtype=DTYPES[info["dtype"]], count=(end - begin) // torch.empty(0, dtype=DTYPES[info["dtype"]]).element_size(),
                                offset=8 + n + begin).view(info["shape"])
        p = torch.empty(info["shape"], dtype=torch.float32)
        p.copy_(view)
        params[name] = p
    seconds = time.perf_counter() - t0
    peak = status_kib("VmHWM:")
    mib = os.path.getsize(path) / 1048576
    count = sum(p.numel() for p in params.values())
    print(f"Python load: file {mib:.1f} MiB, {seconds:.3f} s ({mib / seconds:.0f} MiB/s), peak RSS {peak / 1024:.1f} MiB "
          f"({(peak - base) / 1024:.1f} MiB above the {base / 1024:.1f} MiB before loading), {count} parameters")


if __name__ == "__main__":
    main()
