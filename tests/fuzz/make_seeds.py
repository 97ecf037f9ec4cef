#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora (tests/fuzz/corpus/<harness>/) from the project's fixtures.

Run from anywhere: python3 tests/fuzz/make_seeds.py. The output is committed, so CI needs no Python;
rerun it when the fixtures change. Inputs holding several files join them with SPLIT (fuzz_support.h).
Large fixtures are cut down (tokenizer vocabularies, data files) so each seed stays small: libFuzzer
mutates small inputs far faster, and its -max_len follows the largest seed.
"""
import json
import os
import shutil
import struct
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.path.join(ROOT, "..", "shared", "fixtures")
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")
SPLIT = b"\n@@FILE@@\n"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def put(harness, name, data):
    d = os.path.join(OUT, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def safetensors(tensors, metadata=None):
    """tensors: list of (name, dtype, shape, raw bytes); laid out in order."""
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def f32(values):
    return struct.pack("<%df" % len(values), *values)


def gguf(metadata, tensors, alignment=32):
    """metadata: list of (key, type, value); tensors: list of (name, ne, ggml_type, raw bytes)."""
    def s(x):
        b = x.encode()
        return struct.pack("<Q", len(b)) + b
    fmt = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}

    def scalar(t, v):
        return s(v) if t == 8 else struct.pack("<" + fmt[t], v)
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata))
    for key, t, v in metadata:
        out += s(key) + struct.pack("<I", t)
        if t == 9:
            et, items = v
            out += struct.pack("<IQ", et, len(items)) + b"".join(scalar(et, i) for i in items)
        else:
            out += scalar(t, v)
    offset, blobs = 0, b""
    for name, ne, gt, raw in tensors:
        out += s(name) + struct.pack("<I", len(ne)) + b"".join(struct.pack("<Q", n) for n in ne)
        out += struct.pack("<IQ", gt, offset)
        pad = -len(raw) % alignment
        blobs += raw + b"\0" * pad
        offset += len(raw) + pad
    out += b"\0" * (-len(out) % alignment)
    return out + blobs


def shrink_tokenizer(tok, keep=256):
    """The tokenizer's pipeline with its vocabulary cut to the first `keep` ids (and merges of those)."""
    model = tok.get("model", {})
    vocab = model.get("vocab")
    if isinstance(vocab, dict):
        kept = {k: v for k, v in vocab.items() if v < keep}
        model["vocab"] = kept
        merges = []
        for m in model.get("merges", []):
            a, b = (m.split(" ", 1) if isinstance(m, str) else m)
            if a in kept and b in kept and (a + b) in kept:
                merges.append(m)
        model["merges"] = merges[:200]
    tok["added_tokens"] = [t for t in tok.get("added_tokens", [])][:8]
    return tok


def dict_line(token):
    return '"' + "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "\\x%02X" % ord(c)
                         for c in token) + '"'


def json_keys(value, into):
    if isinstance(value, dict):
        for k, v in value.items():
            into.add(k)
            json_keys(v, into)
    elif isinstance(value, list):
        for v in value:
            json_keys(v, into)
    elif isinstance(value, str) and len(value) < 24:
        into.add(value)


JSON_TOKENS = ["{", "}", "[", "]", ":", ",", "null", "true", "false", "-1", "0", "1e308", "-0.0",
               "9223372036854775807", "18446744073709551616", "\\u0000", "\\ud800", "\\\"", SPLIT.decode()]
JINJA_TOKENS = ["{%", "%}", "{{", "}}", "{#", "#}", "{%-", "-%}", "{{-", "-}}", "if", "elif", "else", "endif",
                "for", "in", "endfor", "set", "endset", "macro", "endmacro", "call", "filter", "endfilter",
                "namespace", "loop.index", "loop.last", "not", "and", "or", "is", "defined", "none", "None",
                "messages", "message['content']", "message.role", "raise_exception(", "range(", "|tojson",
                "|trim", "|length", "|join", "|selectattr", "|map", "|default", "|upper", "|items", "~", "**",
                "//", "%", "[::-1]", "[1:]", ".split(", ".strip()", "add_generation_prompt", "bos_token",
                "strftime_now(", "tools", "string", "mapping", "iterable", "'", '"']


# data: preference pairs in TRL's and LLaMA-Factory's layouts (format byte 3 * 5: preference).
PREFERENCE_SEED = bytes([0 + 3 * 5]) + b"\n".join(json.dumps(r).encode() for r in [
    {"prompt": "2+2?", "chosen": " 4", "rejected": " 5"},
    {"prompt": [{"role": "user", "content": "Hi"}], "chosen": [{"role": "assistant", "content": "Hello"}],
     "rejected": {"role": "assistant", "content": "Go away"}},
    {"chosen": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}],
     "rejected": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "b"}]},
    {"instruction": "Add.", "input": "1 and 1", "chosen": "2", "rejected": "3"},
    {"conversations": [{"from": "human", "value": "x"}], "chosen": {"from": "gpt", "value": "y"},
     "rejected": {"from": "gpt", "value": "z"}}]) + b"\n"


def write_dictionaries():
    d = os.path.join(ROOT, "tests", "fuzz", "dict")
    os.makedirs(d, exist_ok=True)
    for harness in ("model_config", "adapter", "tokenizer", "safetensors", "data"):
        keys = set()
        cdir = os.path.join(OUT, harness)
        for name in os.listdir(cdir):
            for part in read(os.path.join(cdir, name)).split(SPLIT):
                try:
                    text = part.decode("utf-8")
                    if text[:1] in "[{":
                        json_keys(json.loads(text), keys)
                    elif text[:8].strip():
                        json_keys(json.loads(text[8 + 0:].split("\0")[0]), keys)
                except Exception:
                    # a safetensors image: its header follows the 8-byte length
                    try:
                        n = struct.unpack("<Q", part[:8])[0]
                        json_keys(json.loads(part[8:8 + n]), keys)
                    except Exception:
                        pass
        tokens = sorted(k for k in keys if 0 < len(k) <= 40) + JSON_TOKENS
        with open(os.path.join(d, harness + ".dict"), "w") as f:
            f.write("# %s: keys and short values of the seed corpus, and JSON's own tokens (make_seeds.py)\n" % harness)
            f.write("\n".join(dict_line(t) for t in tokens) + "\n")
    # project YAML: the keys of the example project, and YAML's own syntax.
    keys = set()
    for name in os.listdir(os.path.join(OUT, "project")):
        for line in read(os.path.join(OUT, "project", name)).decode().splitlines():
            line = line.split("#")[0].strip()
            if ":" in line:
                keys.add(line.split(":")[0].strip("- ") + ":")
    yaml_tokens = ["---", "...", "- ", "? ", ": ", "|", ">", "&a", "*a", "!!str", "!!int", "[", "]", "{", "}",
                   "~", "null", "true", "yes", "off", ".inf", "-.inf", ".nan", "0x1F", "1e400", "'", '"', "<<: *a"]
    with open(os.path.join(d, "project.dict"), "w") as f:
        f.write("# project YAML: the keys of the example projects, and YAML's own syntax (make_seeds.py)\n")
        f.write("\n".join(dict_line(t) for t in sorted(k for k in keys if len(k) > 1) + yaml_tokens) + "\n")
    with open(os.path.join(d, "chat_template.dict"), "w") as f:
        f.write("# Jinja as chat templates use it (make_seeds.py)\n")
        f.write("\n".join(dict_line(t) for t in JINJA_TOKENS + [SPLIT.decode()]) + "\n")
    gguf_tokens = ["GGUF", "\x03\x00\x00\x00", "general.architecture", "general.alignment", "llama",
                   "tokenizer.ggml.tokens", "\x08\x00\x00\x00", "\x09\x00\x00\x00", "\x1e\x00\x00\x00",
                   "\xff\xff\xff\xff\xff\xff\xff\x7f", "\x00\x00\x00\x00\x00\x00\x00\x80"]
    with open(os.path.join(d, "gguf.dict"), "w") as f:
        f.write("# GGUF: magic, version, value and ggml types, common keys, extreme u64 counts (make_seeds.py)\n")
        f.write("\n".join(dict_line(t) for t in gguf_tokens) + "\n")


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)

    # chat_template: every template of the Jinja fixtures, with one case's messages.
    jdir = os.path.join(ROOT, "tests", "fixtures", "jinja")
    for name in sorted(os.listdir(jdir)):
        if not name.endswith(".json"):
            continue
        d = json.load(open(os.path.join(jdir, name)))
        if "template" not in d:
            continue
        data = d["template"].encode()
        cases = d.get("cases") or []
        if cases and isinstance(cases, list) and "messages" in cases[0]:
            data += SPLIT + json.dumps(cases[0]["messages"]).encode()
        put("chat_template", name.replace(".json", ".jinja"), data)
    units = json.load(open(os.path.join(jdir, "units.json")))
    for key, case in sorted(units["cases"].items()):
        data = case["template"].encode()
        msgs = case.get("context", {}).get("messages")
        if msgs is not None:
            data += SPLIT + json.dumps(msgs).encode()
        put("chat_template", "unit_" + key + ".jinja", data)

    # tokenizer: the demo's, and the shared GPT-2 / Mistral / Qwen3 ones cut down.
    demo = os.path.join(ROOT, "resources", "demo", "model")
    put("tokenizer", "demo", read(os.path.join(demo, "tokenizer.json")) + SPLIT +
        read(os.path.join(demo, "tokenizer_config.json")))
    for fam in ("gpt2", "mistral", "qwen3"):
        d = os.path.join(SHARED, "tokenizers", fam)
        if not os.path.isdir(d):
            continue
        tok = shrink_tokenizer(json.load(open(os.path.join(d, "tokenizer.json"), encoding="utf-8")))
        cfg = json.load(open(os.path.join(d, "tokenizer_config.json"), encoding="utf-8"))
        cfg.pop("added_tokens_decoder", None)
        put("tokenizer", fam, json.dumps(tok, ensure_ascii=False).encode() + SPLIT + json.dumps(cfg).encode())
        put("tokenizer", fam + "_noconfig", json.dumps(tok, ensure_ascii=False).encode())

    # project: the demo and the example project.
    put("project", "demo.yaml", read(os.path.join(ROOT, "resources", "demo", "demo.yaml")))
    put("project", "example.yaml", read(os.path.join(ROOT, "resources", "examples", "project.example.yaml")))

    # data: first byte = kind (0 .jsonl, 1 .json, 2 .txt) + 3 * format (Auto, Text, Alpaca, Chat, ShareGpt).
    lines = read(os.path.join(ROOT, "resources", "demo", "instructions.jsonl")).splitlines(True)[:6]
    put("data", "alpaca.jsonl", bytes([0]) + b"".join(lines))
    put("data", "alpaca_asked.jsonl", bytes([0 + 3 * 2]) + b"".join(lines))
    conv = json.load(open(os.path.join(ROOT, "tests", "fixtures", "chat_data", "conversations.json")))
    put("data", "chat.json", bytes([1]) + json.dumps(conv[:3] if isinstance(conv, list) else conv, indent=1).encode())
    put("data", "chat.jsonl", bytes([0 + 3 * 3]) + b"\n".join(json.dumps(c).encode() for c in (conv[:3] if isinstance(conv, list) else [conv])))
    put("data", "sharegpt.jsonl", bytes([0 + 3 * 4]) + json.dumps({"conversations": [
        {"from": "system", "value": "Be kind."}, {"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"},
        {"from": "observation", "value": "{}"}]}).encode() + b"\n\n" + b'{"text": "plain"}\n')
    put("data", "tools.jsonl", bytes([0 + 3 * 3]) + json.dumps({"tools": [{"type": "function", "function": {"name": "w"}}],
        "messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "w", "arguments": {"city": "Paris"}}}]},
            {"role": "tool", "tool_call_id": "c1", "name": "w", "content": "sunny"},
            {"role": "assistant", "content": "Sunny."}]}).encode() + b"\n" + json.dumps({"tools": "[]", "conversations": [
        {"from": "human", "value": "Hi"}, {"from": "function_call", "value": "{\"name\": \"w\", \"arguments\": \"{}\"}"},
        {"from": "observation", "value": "ok"}, {"from": "gpt", "value": "Done"}]}).encode() + b"\n")
    put("data", "preference.jsonl", PREFERENCE_SEED)
    put("data", "text.txt", bytes([2 + 3 * 1]) + read(os.path.join(demo, "corpus_sample.txt"))[:600])
    put("data", "bad.jsonl", bytes([0]) + b'{"instruction": "x"}\n{not json\n[1,2]\n{"output": 3}\n')

    # model_config: every config.json fixture.
    cfgs = [os.path.join(ROOT, "tests", "fixtures", "configs", n)
            for n in sorted(os.listdir(os.path.join(ROOT, "tests", "fixtures", "configs")))]
    for sub in ("tests/fixtures/gemma_phi3", "tests/fixtures/tiny_models"):
        base = os.path.join(ROOT, sub)
        for fam in sorted(os.listdir(base)):
            p = os.path.join(base, fam, "model", "config.json")
            if os.path.exists(p):
                cfgs.append(p)
    for fam in ("gpt2", "llama", "qwen2"):
        cfgs.append(os.path.join(SHARED, "models", fam, "model", "config.json"))
    cfgs.append(os.path.join(demo, "config.json"))
    for p in cfgs:
        if os.path.exists(p):
            put("model_config", os.path.relpath(p, ROOT).replace("/", "_").replace("..", "up"), read(p))

    # adapter: config + weights of the shared Llama adapter (the harness's base model has its shape).
    ad = os.path.join(SHARED, "models", "llama", "adapter")
    put("adapter", "llama", read(os.path.join(ad, "adapter_config.json")) + SPLIT +
        read(os.path.join(ad, "adapter_model.safetensors")))
    dora = json.load(open(os.path.join(ad, "adapter_config.json")))
    dora.update({"use_dora": True, "target_modules": "model.layers.0.self_attn.(q|v)_proj", "rank_pattern": {"q_proj": 2}})
    put("adapter", "llama_config_only", json.dumps(dora, indent=2).encode())

    # safetensors: small files of every dtype, one with metadata, and a two-shard index.
    st_dtypes = [("F64", 8), ("F32", 4), ("F16", 2), ("BF16", 2), ("I64", 8), ("I32", 4), ("I16", 2),
                 ("I8", 1), ("U8", 1), ("BOOL", 1)]
    put("safetensors", "dtypes.safetensors", safetensors(
        [("t_" + d.lower(), d, [2, 2], bytes(range(4 * n))) for d, n in st_dtypes], {"format": "pt"}))
    put("safetensors", "scalar_empty.safetensors", safetensors(
        [("scalar", "F32", [], f32([1.5])), ("empty", "F32", [0, 3], b"")]))
    put("safetensors", "adapter.safetensors", read(os.path.join(ad, "adapter_model.safetensors")))
    shard1 = safetensors([("a.weight", "F32", [2, 3], f32(range(6)))], {"format": "pt"})
    shard2 = safetensors([("b.weight", "F16", [4], bytes(8)), ("c.bias", "F32", [1], f32([2.0]))])
    index = json.dumps({"metadata": {"total_size": 36}, "weight_map": {
        "a.weight": "model-00001-of-00003.safetensors", "b.weight": "model-00002-of-00003.safetensors",
        "c.bias": "model-00002-of-00003.safetensors"}}, indent=2).encode()
    put("safetensors", "sharded", index + SPLIT + shard1 + SPLIT + shard2)

    # gguf: every value type, and one tensor of each ggml type this reader decodes.
    meta = [("general.architecture", 8, "llama"), ("general.alignment", 4, 32), ("u8", 0, 1), ("i8", 1, -1),
            ("u16", 2, 2), ("i16", 3, -2), ("i32", 5, -3), ("f32", 6, 0.5), ("bool", 7, True),
            ("u64", 10, 7), ("i64", 11, -7), ("f64", 12, 0.25),
            ("tokenizer.ggml.tokens", 9, (8, ["<s>", "</s>", "a"])), ("scores", 9, (6, [0.0, -1.0, 2.0]))]
    q8 = struct.pack("<e", 0.5) + bytes(range(32))
    tensors = [("f32", [4, 2], 0, f32(range(8))), ("f16", [4], 1, struct.pack("<4e", 1, 2, 3, 4)),
               ("q8_0", [32], 8, q8), ("bf16", [2], 30, bytes([0, 0x3F, 0, 0x40]))]
    put("gguf", "all_types.gguf", gguf(meta, tensors))
    put("gguf", "empty.gguf", gguf([], []))
    write_dictionaries()
    return 0


if __name__ == "__main__":
    sys.exit(main())
