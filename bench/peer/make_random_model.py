#!/usr/bin/env python3
"""A Llama-family model folder with random weights from a real config.json, for the side-by-side
bench: config.json (optionally with fewer layers), model.safetensors (seeded N(0, 0.02) matrices,
norms 1), a tokenizer.json whose ids fit the vocabulary, and data.jsonl whose records all run past
the sequence length. Needs only torch (written with a plain safetensors writer, no transformers).
  make_random_model.py CONFIG_DIR TOKENIZER_DIR OUT_DIR [--layers N] [--records 64] [--words 600]"""
import argparse, json, os, random, shutil, struct
import torch

p = argparse.ArgumentParser()
p.add_argument('config_dir'); p.add_argument('tokenizer_dir'); p.add_argument('out')
p.add_argument('--layers', type=int, default=0)
p.add_argument('--records', type=int, default=64)
p.add_argument('--words', type=int, default=600)
a = p.parse_args()

cfg = json.load(open(os.path.join(a.config_dir, 'config.json')))
if a.layers > 0:
    cfg['num_hidden_layers'] = a.layers
if cfg.get('model_type') not in ('llama', 'qwen2', 'mistral'):
    raise SystemExit(f"{a.config_dir}: model_type {cfg.get('model_type')!r}: only llama, qwen2, mistral here")
C, I, V = cfg['hidden_size'], cfg['intermediate_size'], cfg['vocab_size']
H, Hkv = cfg['num_attention_heads'], cfg.get('num_key_value_heads', cfg['num_attention_heads'])
D = cfg.get('head_dim') or C // H
qkv_bias = cfg.get('attention_bias', cfg.get('model_type') == 'qwen2')
gen = torch.Generator().manual_seed(0)
tensors = {}
def mat(name, *shape):
    tensors[name] = torch.empty(*shape).normal_(0, 0.02, generator=gen)
mat('model.embed_tokens.weight', V, C)
for l in range(cfg['num_hidden_layers']):
    pre = f'model.layers.{l}.'
    for n, o in (('q_proj', H * D), ('k_proj', Hkv * D), ('v_proj', Hkv * D)):
        mat(pre + f'self_attn.{n}.weight', o, C)
        if qkv_bias:
            mat(pre + f'self_attn.{n}.bias', o)
    mat(pre + 'self_attn.o_proj.weight', C, H * D)
    mat(pre + 'mlp.gate_proj.weight', I, C); mat(pre + 'mlp.up_proj.weight', I, C); mat(pre + 'mlp.down_proj.weight', C, I)
    tensors[pre + 'input_layernorm.weight'] = torch.ones(C)
    tensors[pre + 'post_attention_layernorm.weight'] = torch.ones(C)
tensors['model.norm.weight'] = torch.ones(C)
if not cfg.get('tie_word_embeddings', False):
    mat('lm_head.weight', V, C)

os.makedirs(os.path.join(a.out, 'model'), exist_ok=True)
cfg['torch_dtype'] = 'float32'
json.dump(cfg, open(os.path.join(a.out, 'model', 'config.json'), 'w'), indent=2)
# safetensors: 8-byte little-endian header length, JSON header, then the raw little-endian data.
header, offset, blobs = {}, 0, []
for name in sorted(tensors):
    data = tensors[name].contiguous().numpy().tobytes()
    header[name] = {'dtype': 'F32', 'shape': list(tensors[name].shape), 'data_offsets': [offset, offset + len(data)]}
    offset += len(data); blobs.append(data)
head = json.dumps(header, separators=(',', ':')).encode()
head += b' ' * ((8 - len(head) % 8) % 8)
with open(os.path.join(a.out, 'model', 'model.safetensors'), 'wb') as fh:
    fh.write(struct.pack('<Q', len(head))); fh.write(head)
    for b in blobs: fh.write(b)
for f in ('tokenizer.json', 'tokenizer_config.json'):
    if os.path.exists(os.path.join(a.tokenizer_dir, f)):
        shutil.copy(os.path.join(a.tokenizer_dir, f), os.path.join(a.out, 'model', f))
words = ('the of and to in is was for on with as by at from that this it an be are or his her they '
         'river mountain engine garden letter window music number system winter city market paper').split()
rng = random.Random(0)
with open(os.path.join(a.out, 'data.jsonl'), 'w') as fh:
    for _ in range(a.records):
        fh.write(json.dumps({'text': ' '.join(rng.choice(words) for _ in range(a.words))}) + '\n')
print(a.out)
