#!/usr/bin/env python3
"""Reference DPO training throughput of TRL + PEFT + transformers, for side-by-side comparison with
LoRA Studio's `training.objective: dpo` (bench/peer/run_peer_bench.sh --dpo). No download: it loads the
model folder the bench made (random weights from a real config.json).

  dpo_peer.py MODEL_DIR [--seq 256 --batch 4 --r 16 --alpha 32 --targets all --steps 4 --warmup 2
                         --dtype fp32 --attn eager --beta 0.1 --peak-tflops 989] [--peer SHARED_PEER_DIR]

Model: AutoModelForCausalLM.from_pretrained(MODEL_DIR) in --dtype with --attn attention (eager on the CPU,
sdpa on CUDA), PEFT LoRA (r, alpha, the targets, dropout 0) with fp32 LoRA weights, model.train(),
torch.optim.AdamW(lr 1e-4) on the LoRA weights, no clipping (the bench's max_grad_norm 0).

Batch: --batch pairs, each a chosen and a rejected row of exactly --seq tokens sharing a prompt of
seq/2 tokens (labels -100 there) and answers of seq - seq/2 tokens (no padding), as TRL's
DPODataCollatorWithPadding hands them over (chosen_/rejected_ input_ids, attention_mask, labels).
Token ids are RANDOM (seeded, BOS first), not from the tokenizer: only the shapes matter for speed,
and LoRA Studio's bench rows have the same shapes (checked by run_peer_bench.sh from its metrics).

Per step, exactly the work of TRL's DPOTrainer (trl.trainer.dpo_trainer.DPOTrainer, its own code, called
on an instance made without __init__ that carries the attributes those methods read, because the full
Trainer needs `datasets` and a tokenizer): `compute_loss` -> `get_batch_loss_metrics` ->
`concatenated_forward` (policy, with grad: `concatenated_inputs`, the model's logits, `get_batch_logps`),
the reference pass under torch.no_grad() through `null_ref_context` (PEFT's `disable_adapter()`, what TRL
does for a PEFT model without ref_model), `dpo_loss` (sigmoid, beta), the metrics (`store_metrics`);
then loss.backward(), AdamW step, zero_grad (Trainer.training_step + the optimizer step).
TRL API: 0.7.x - 0.11.x (the batch keys above, `concatenated_forward(model, batch)` returning a tuple);
TRL >= 0.12 changed the batch layout and later removed these methods: refused with a message.

Imports: natively (a CUDA machine with PyTorch 2.x + transformers + peft + trl), or, with --peer DIR
(../shared/peer), the pinned sources of this CPU through DIR/peer_env.py with PEER_SRC defaulting to
/tmp/peer_trl/src (trl v0.7.11 + links to the pinned transformers, peft, accelerate, huggingface_hub,
safetensors; see tests/fixtures/dpo/README.md) and stand-in modules for datasets / tyro / tokenizers, which
TRL and transformers only import names from (as tests/reference/make_dpo_fixture.py does).
OMP_NUM_THREADS sets torch's thread count.

Prints one JSON line: tokens/s (non-padding tokens of both rows of every pair, as LoRA Studio's
metrics.jsonl `tokens_per_second` counts them), step time, torch/transformers/peft/trl versions, on CUDA
the peak allocated / reserved GiB and the MFU (DPO accounting, see `flops_tok` below).
"""
import argparse
import atexit
import glob
import json
import os
import shutil
import sys
import tempfile
import time
import types

p = argparse.ArgumentParser()
p.add_argument('model_dir')
p.add_argument('--seq', type=int, default=256)
p.add_argument('--batch', type=int, default=4, help='preference pairs per step (2 x batch rows)')
p.add_argument('--r', type=int, default=16)
p.add_argument('--alpha', type=int, default=0, help='lora_alpha (default 2 r)')
p.add_argument('--targets', default='all')
p.add_argument('--steps', type=int, default=4, help='timed steps')
p.add_argument('--warmup', type=int, default=2)
p.add_argument('--dtype', default='fp32')
p.add_argument('--attn', default='eager')
p.add_argument('--beta', type=float, default=0.1)
p.add_argument('--peak-tflops', type=float, default=989.0)
p.add_argument('--peer', default='', help='../shared/peer: import the pinned sources through its peer_env')
a = p.parse_args()

# Stand-ins for packages that cannot be installed here; TRL 0.7.11 and transformers 4.37.2 import names
# from them at import time only. Nothing in them takes part in the computation (the batch is token ids).
TOKENIZERS_STANDIN = """import sys, types
__version__ = "0.15.1"
class _Refuse:
    def __init__(self, *a, **k): raise RuntimeError("tokenizers stand-in: no tokenizer is built here")
def __getattr__(name):
    if name.startswith("__"): raise AttributeError(name)
    return type(name, (_Refuse,), {})
for _s in ["decoders", "normalizers", "pre_tokenizers", "processors", "models", "trainers"]:
    _m = types.ModuleType(__name__ + "." + _s)
    _m.__getattr__ = __getattr__
    sys.modules[_m.__name__] = globals()[_s] = _m
"""
STANDINS = {
    "datasets/__init__.py": "class Dataset: pass\nclass Value:\n    def __init__(self, *a, **k): pass\n",
    "datasets/arrow_writer.py": "class SchemaInferenceError(ValueError): pass\n",
    "datasets/builder.py": "class DatasetGenerationError(Exception): pass\n",
    "tyro/__init__.py": "from . import conf\n",
    "tyro/conf.py": "def arg(**kwargs): return None\nclass _Same:\n    def __getitem__(self, t): return t\n"
                    "Suppress = _Same()\n",
    "tokenizers/__init__.py": TOKENIZERS_STANDIN,
    "tokenizers-0.15.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: tokenizers\nVersion: 0.15.1\n",
}

if a.peer:
    os.environ.setdefault('PEER_SRC', '/tmp/peer_trl/src')
    os.environ.setdefault('PEER_STUBS', '/tmp/peer_trl/stubs')
    sys.path.insert(0, os.path.abspath(a.peer))
    import peer_env  # noqa: E402
    peer_env.setup()
    trl_src = os.path.join(peer_env.PEER_SRC, 'trl')
    if not os.path.isdir(os.path.join(trl_src, 'trl')):
        raise SystemExit(f"dpo_peer: no trl sources under {trl_src} (see tests/fixtures/dpo/README.md, 'Regenerate')")
    standins = tempfile.mkdtemp(prefix='dpo_peer_standins_')
    atexit.register(shutil.rmtree, standins, True)
    for rel, text in STANDINS.items():
        os.makedirs(os.path.dirname(os.path.join(standins, rel)), exist_ok=True)
        with open(os.path.join(standins, rel), 'w') as fh:
            fh.write(text)
    sys.path.insert(0, standins)
    sys.path.insert(0, trl_src)

import torch  # noqa: E402
if os.environ.get('OMP_NUM_THREADS'):
    torch.set_num_threads(int(os.environ['OMP_NUM_THREADS']))
import transformers  # noqa: E402
import peft  # noqa: E402
import trl  # noqa: E402
from collections import defaultdict  # noqa: E402
from transformers import AutoConfig, AutoModelForCausalLM  # noqa: E402
from peft import LoraConfig, get_peft_model  # noqa: E402
from safetensors.torch import load_file  # noqa: E402
from trl import DPOTrainer  # noqa: E402

if not hasattr(DPOTrainer, 'concatenated_forward') or 'prompt_input_ids' in \
        getattr(DPOTrainer.concatenated_forward, '__code__', types.SimpleNamespace(co_consts=())).co_consts:
    raise SystemExit(f"dpo_peer: TRL {trl.__version__}'s DPOTrainer has another API (batch layout or methods) than "
                     "TRL 0.7.x-0.11.x, which this reference calls; install trl 0.11.4 (pip install 'trl==0.11.4') "
                     "or use the pinned v0.7.11 sources (--peer)")

dev = 'cuda' if torch.cuda.is_available() else 'cpu'
dtype = {'bf16': torch.bfloat16, 'fp16': torch.float16, 'fp32': torch.float32}[a.dtype]
cfg = AutoConfig.from_pretrained(a.model_dir)
# The bench's model.safetensors carries no {"format": "pt"} metadata, which transformers 4.37.2's
# from_pretrained(folder) requires: the folder's tensors go in through from_pretrained's state_dict.
sd = {}
for f in sorted(glob.glob(os.path.join(a.model_dir, '*.safetensors'))):
    sd.update(load_file(f))
model = AutoModelForCausalLM.from_pretrained(None, config=cfg, state_dict=sd, torch_dtype=dtype,
                                             attn_implementation=a.attn).to(dev)
emb = sd['model.embed_tokens.weight']
assert torch.equal(model.get_input_embeddings().weight.detach().cpu(), emb.to(dtype)), 'the weights were not loaded'
del sd, emb
targets = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] if a.targets == 'all' \
    else a.targets.split(',')
torch.manual_seed(0)
model = get_peft_model(model, LoraConfig(r=a.r, lora_alpha=a.alpha or 2 * a.r, lora_dropout=0.0,
                                         target_modules=targets, task_type='CAUSAL_LM'))
for n, prm in model.named_parameters():  # fp32 master LoRA weights, as mixed-precision trainers keep them
    if prm.requires_grad:
        prm.data = prm.data.float()
model.train()
n_train = sum(x.numel() for x in model.parameters() if x.requires_grad)
n_all = sum(x.numel() for x in model.parameters())
params = [x for x in model.parameters() if x.requires_grad]
try:
    opt = torch.optim.AdamW(params, lr=1e-4, fused=(dev == 'cuda'))
except TypeError:  # torch < 2.0
    opt = torch.optim.AdamW(params, lr=1e-4)

# TRL's DPOTrainer without its __init__ (which needs datasets, a tokenizer and a dataset to tokenize):
# the attributes its compute_loss / get_batch_loss_metrics / concatenated_forward / null_ref_context /
# dpo_loss read, as DPOTrainer.__init__ sets them for a PEFT model without ref_model, sigmoid loss.
trainer = DPOTrainer.__new__(DPOTrainer)
trainer.__dict__.update(
    model=model, ref_model=None, beta=a.beta, loss_type='sigmoid', label_smoothing=0.0, reference_free=False,
    is_encoder_decoder=False, is_vision_model=False, label_pad_token_id=-100, padding_value=0,
    is_peft_model=True, ref_adapter_name=None, model_adapter_name=None, aux_loss_enabled=False,
    precompute_ref_log_probs=False, f_divergence_type='reverse_kl', f_divergence_params={'alpha_divergence_coef': 1.0},
    use_dpo_data_collator=True, _peft_has_been_casted_to_bf16=False, _precomputed_train_ref_log_probs=False,
    _stored_metrics=defaultdict(lambda: defaultdict(list)),
    args=types.SimpleNamespace(rpo_alpha=None, device=torch.device(dev)),
    accelerator=types.SimpleNamespace(device=torch.device(dev), unwrap_model=lambda m, *x, **k: m))

# Batches as TRL's DPODataCollatorWithPadding gives them: --batch pairs, rows of exactly --seq tokens.
P = a.seq // 2
gen = torch.Generator().manual_seed(0)
bos = cfg.bos_token_id if isinstance(getattr(cfg, 'bos_token_id', None), int) else 1
def make_batch():
    prompt = torch.randint(3, cfg.vocab_size, (a.batch, P), generator=gen)
    prompt[:, 0] = bos
    out = {}
    for side in ('chosen', 'rejected'):
        ids = torch.cat([prompt, torch.randint(3, cfg.vocab_size, (a.batch, a.seq - P), generator=gen)], 1)
        labels = ids.clone()
        labels[:, :P] = -100
        out[f'{side}_input_ids'] = ids.to(dev)
        out[f'{side}_attention_mask'] = torch.ones_like(ids).to(dev)
        out[f'{side}_labels'] = labels.to(dev)
    return out
batches = [make_batch() for _ in range(a.warmup + a.steps)]

def step(batch):
    with torch.autocast(device_type=dev, dtype=(dtype if dtype != torch.float32 else torch.bfloat16),
                        enabled=(dtype != torch.float32)):
        loss = trainer.compute_loss(model, batch)
    loss.backward()
    opt.step()
    opt.zero_grad(set_to_none=True)
    trainer._stored_metrics.clear()  # the Trainer's log() empties them every logging step
    return loss

for i in range(a.warmup):
    step(batches[i])
if dev == 'cuda':
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
t0 = time.perf_counter()
for i in range(a.steps):
    loss = step(batches[a.warmup + i])
if dev == 'cuda':
    torch.cuda.synchronize()
dt = (time.perf_counter() - t0) / a.steps
tokens = 2 * a.batch * a.seq  # every row full: no padding
tok_s = tokens / dt
# model FLOPs per row token: policy as peft_bench.py counts LoRA training (frozen matmuls 4N: forward 2N +
# input gradients 2N; LoRA matmuls 6 x trainable; causal attention 6*L*seq*h), plus the reference
# forward with the adapters off (frozen matmuls 2N, attention 2*L*seq*h).
L, h = cfg.num_hidden_layers, cfg.hidden_size
n_matmul = sum(m.weight.numel() for n, m in model.named_modules()
               if isinstance(m, torch.nn.Linear) and 'lora_' not in n)
flops_tok = 6 * n_matmul + 6 * n_train + 8 * L * a.seq * h
mfu = tok_s * flops_tok / (a.peak_tflops * 1e12)
out = dict(system='trl+peft (dpo)', torch=torch.__version__, transformers=transformers.__version__,
           peft=peft.__version__, trl=trl.__version__, imports='peer' if a.peer else 'native',
           device=torch.cuda.get_device_name() if dev == 'cuda' else 'cpu', threads=torch.get_num_threads(),
           model=os.path.abspath(a.model_dir), seq=a.seq, pairs=a.batch, rows=2 * a.batch, prompt_tokens=P,
           trained_tokens_per_step=2 * a.batch * (a.seq - P), token_ids='random', r=a.r,
           alpha=a.alpha or 2 * a.r, targets=targets, dtype=a.dtype, attn=a.attn, beta=a.beta, trainable=n_train,
           all=n_all, steps=a.steps, warmup=a.warmup, step_s=dt, tokens_per_step=tokens, tokens_per_s=tok_s,
           peak_alloc_gib=(torch.cuda.max_memory_allocated() / 2**30) if dev == 'cuda' else None,
           peak_reserved_gib=(torch.cuda.max_memory_reserved() / 2**30) if dev == 'cuda' else None,
           gflop_per_token=flops_tok / 1e9, mfu=mfu, final_loss=float(loss))
print(json.dumps(out))
