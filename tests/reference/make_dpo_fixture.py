"""Reference for DPO (Direct Preference Optimization): what TRL's own DPOTrainer code computes for the
llama and gpt2 fixture adapters on a fixed batch of two preference pairs.

    PEER_SRC=<peer tree with trl v0.7.11 added> /usr/bin/python3 make_dpo_fixture.py FIXTURES_MODELS OUT_DIR

For llama and gpt2 of FIXTURES_MODELS (../shared/fixtures/models): the base model (fp32, eager attention),
the fixture adapter loaded trainable, model.train() (every dropout is 0). The batch is made by TRL's
DPODataCollatorWithPadding and DPOTrainer.concatenated_inputs; log-probs, the reference pass (adapter
disabled through DPOTrainer.null_ref_context, no grad) and the losses come from DPOTrainer's own
concatenated_forward / get_batch_logps / dpo_loss / get_batch_loss_metrics, called on a small object that
carries only the attributes those methods read (the full Trainer needs datasets and a tokenizer).
Writes OUT_DIR/<model>.safetensors (keys: see tests/fixtures/dpo/README.md) and prints the figures.
datasets, tyro and tokenizers are not installable here; TRL and transformers only import names from them
at import time, so a temporary folder holds stand-in modules (never used by the computation).
"""
import atexit
import os
import shutil
import sys
import tempfile
import types

here = os.path.dirname(os.path.abspath(__file__))
peer = os.environ.get("LORASTUDIO_PEER", os.path.join(here, "..", "..", "..", "shared", "peer"))
sys.path.insert(0, peer)
import peer_env  # noqa: E402

peer_env.setup()

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
STANDINS = {  # names imported at import time only; nothing here takes part in the computation
    "datasets/__init__.py": "class Dataset: pass\nclass Value:\n    def __init__(self, *a, **k): pass\n",
    "datasets/arrow_writer.py": "class SchemaInferenceError(ValueError): pass\n",
    "datasets/builder.py": "class DatasetGenerationError(Exception): pass\n",
    "tyro/__init__.py": "from . import conf\n",
    "tyro/conf.py": "def arg(**kwargs): return None\nclass _Same:\n    def __getitem__(self, t): return t\n"
                    "Suppress = _Same()\n",
    # transformers 4.37.2's data_collator (imported by TRL) needs BertTokenizerFast, i.e. tokenizers
    "tokenizers/__init__.py": TOKENIZERS_STANDIN,
    "tokenizers-0.15.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: tokenizers\nVersion: 0.15.1\n",
}
standins = tempfile.mkdtemp(prefix="dpo_standins_")
atexit.register(shutil.rmtree, standins, True)
for rel, text in STANDINS.items():
    os.makedirs(os.path.dirname(os.path.join(standins, rel)), exist_ok=True)
    with open(os.path.join(standins, rel), "w") as f:
        f.write(text)
sys.path.insert(0, standins)
sys.path.insert(0, os.path.join(peer_env.PEER_SRC, "trl"))

import torch  # noqa: E402
import transformers  # noqa: E402
import peft  # noqa: E402
import accelerate  # noqa: E402
import trl  # noqa: E402
from trl.trainer.dpo_trainer import DPOTrainer  # noqa: E402
from trl.trainer.utils import DPODataCollatorWithPadding  # noqa: E402
import st_io  # noqa: E402


class TrlSelf:
    """The `self` DPOTrainer's loss methods see: their own functions plus the attributes they read."""
    concatenated_inputs = DPOTrainer.__dict__["concatenated_inputs"]  # staticmethod
    get_batch_logps = DPOTrainer.__dict__["get_batch_logps"]  # staticmethod
    concatenated_forward = DPOTrainer.concatenated_forward
    null_ref_context = DPOTrainer.null_ref_context
    dpo_loss = DPOTrainer.dpo_loss
    get_batch_loss_metrics = DPOTrainer.get_batch_loss_metrics

    def __init__(self, model, beta, loss_type="sigmoid", label_smoothing=0.0):
        self.model, self.ref_model, self.beta, self.loss_type = model, None, beta, loss_type
        self.label_smoothing, self.reference_free = label_smoothing, False
        self.is_encoder_decoder, self.label_pad_token_id, self.padding_value = False, -100, 0
        self.is_peft_model, self.ref_adapter_name, self.model_adapter_name = True, None, None
        self.accelerator = types.SimpleNamespace(device=torch.device("cpu"), unwrap_model=lambda m: m)

    def logps_and_losses(self, batch):  # what get_batch_loss_metrics does, keeping the per-pair parts
        pc, pr, _, _ = self.concatenated_forward(self.model, batch)
        with torch.no_grad(), self.null_ref_context():
            rc, rr, _, _ = self.concatenated_forward(self.model, batch)
        losses, c_rew, r_rew = self.dpo_loss(pc, pr, rc, rr)
        return dict(policy_chosen_logps=pc, policy_rejected_logps=pr, reference_chosen_logps=rc,
                    reference_rejected_logps=rr, losses=losses, chosen_rewards=c_rew, rejected_rewards=r_rew)


models_dir, out_dir = sys.argv[1:3]
os.makedirs(out_dir, exist_ok=True)
print(f"torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}, "
      f"accelerate {accelerate.__version__}, trl {trl.__version__}")
gen = torch.Generator().manual_seed(0)
LENGTHS = [(5, 4, 6), (7, 6, 3)]  # (prompt, chosen, rejected) of each pair
pairs = [[torch.randint(1, 1000, (n,), generator=gen) for n in lens] for lens in LENGTHS]
features = []
for prompt, chosen, rejected in pairs:
    row = {}
    for side, answer in (("chosen", chosen), ("rejected", rejected)):
        row[f"{side}_input_ids"] = torch.cat([prompt, answer]).tolist()
        row[f"{side}_attention_mask"] = [1] * (len(prompt) + len(answer))
        row[f"{side}_labels"] = [-100] * len(prompt) + answer.tolist()
    features.append(row)
batch = DPODataCollatorWithPadding(pad_token_id=0, label_pad_token_id=-100)(features)
cat = DPOTrainer.concatenated_inputs(batch, label_pad_token_id=-100, padding_value=0)
fixed = {"input_ids": cat["concatenated_input_ids"], "attention_mask": cat["concatenated_attention_mask"],
         "labels": cat["concatenated_labels"]}
for i, (prompt, chosen, rejected) in enumerate(pairs):
    fixed.update({f"prompt.{i}": prompt, f"chosen.{i}": chosen, f"rejected.{i}": rejected})
print("input_ids\n", fixed["input_ids"], "\nlabels\n", fixed["labels"])


def fmt(t):
    return [round(x, 6) for x in t.detach().reshape(-1).tolist()]


for name in ("llama", "gpt2"):
    d = os.path.join(models_dir, name)
    base = transformers.AutoModelForCausalLM.from_pretrained(os.path.join(d, "model"), torch_dtype=torch.float32,
                                                             attn_implementation="eager")
    model = peft.PeftModel.from_pretrained(base, os.path.join(d, "adapter"), is_trainable=True)
    model.train()  # every dropout of the fixture models and adapters is 0
    named = {n.replace(".default", ""): p for n, p in model.named_parameters() if p.requires_grad}
    out = dict(fixed)

    def run(prefix, keys, grads, **cfg):
        model.zero_grad(set_to_none=True)
        trainer = TrlSelf(model, **cfg)
        res = trainer.logps_and_losses(batch)
        res["loss"] = res["losses"].mean()
        check, _ = trainer.get_batch_loss_metrics(model, batch)  # TRL's whole path gives the same mean
        assert torch.allclose(check, res["loss"], rtol=1e-6, atol=0), (check, res["loss"])
        if grads:
            res["loss"].backward()
            out.update({f"{prefix}grad.{n}": p.grad.detach().clone() for n, p in named.items()})
        out.update({prefix + k: res[k].detach().clone().reshape(-1) for k in keys})
        print(f"{name} {prefix or 'sigmoid beta 0.1: '}" + ", ".join(f"{k} {fmt(res[k])}" for k in keys))
        return res

    logp_keys = ["policy_chosen_logps", "policy_rejected_logps", "reference_chosen_logps", "reference_rejected_logps"]
    res = run("", logp_keys + ["losses", "loss", "chosen_rewards", "rejected_rewards"], True, beta=0.1)
    assert not torch.allclose(res["policy_chosen_logps"], res["reference_chosen_logps"]), "adapter had no effect"
    run("ls.", ["losses", "loss"], True, beta=0.5, label_smoothing=0.1)
    run("ipo.", logp_keys + ["losses", "loss"], False, beta=0.1, loss_type="ipo")

    model.zero_grad(set_to_none=True)
    trainer = TrlSelf(model, beta=0.1)
    opt = torch.optim.AdamW([p for p in named.values()], lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    losses = []
    for step in range(3):
        opt.zero_grad(set_to_none=True)
        loss, _ = trainer.get_batch_loss_metrics(model, batch)
        losses.append(loss.item())
        loss.backward()
        opt.step()
    with torch.no_grad():
        losses.append(trainer.get_batch_loss_metrics(model, batch)[0].item())
    out["train.losses"] = torch.tensor(losses, dtype=torch.float64)
    out.update({f"step3.{n}": p.detach().clone() for n, p in named.items()})
    print(f"{name} train.losses {[round(x, 6) for x in losses]}")

    path = os.path.join(out_dir, f"{name}.safetensors")
    st_io.write_file(path, out, {"format": "pt"})
    back = st_io.read_file(path)[0]
    adapter_keys = set(st_io.read_file(os.path.join(d, "adapter", "adapter_model.safetensors"))[0])
    assert set(named) == adapter_keys, (sorted(named), sorted(adapter_keys))
    assert set(back) == set(out) and all(torch.equal(back[k], out[k]) and back[k].dtype == out[k].dtype for k in out)
    print(f"{name}: wrote {len(back)} tensors to {path} ({len(adapter_keys)} adapter keys), read back equal")
