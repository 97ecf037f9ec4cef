"""Reference for ORPO (Odds Ratio Preference Optimization, Hong et al. 2024): what TRL's own ORPOTrainer
code computes for the llama and gpt2 fixture adapters on the fixed batch of two preference pairs that
tests/fixtures/dpo uses.

    PEER_SRC=<peer tree with trl v0.8.6 added> /usr/bin/python3 make_orpo_fixture.py \
        FIXTURES_MODELS DPO_FIXTURE_DIR OUT_DIR

For llama and gpt2 of FIXTURES_MODELS (../shared/fixtures/models): the base model (fp32, eager attention),
the fixture adapter loaded trainable, model.train() (every dropout is 0). The token ids of the pairs are
read from DPO_FIXTURE_DIR/llama.safetensors (prompt.i / chosen.i / rejected.i), so both fixtures share
them. The batch is made by TRL's DPODataCollatorWithPadding (ORPOTrainer's default collator) and
ORPOTrainer.concatenated_inputs; the log-probs, the chosen NLL, the odds-ratio terms and the total loss
come from ORPOTrainer's own concatenated_forward / get_batch_logps / odds_ratio_loss /
get_batch_loss_metrics, called on a small object that carries only the attributes those methods read
(the full Trainer needs datasets and a tokenizer). No reference model: ORPO has none.
Writes OUT_DIR/<model>.safetensors (keys: see tests/fixtures/orpo/README.md) and prints the figures.
datasets, tyro and tokenizers are not installable here, and rich is not installed; TRL and transformers only
import names from them at import time, so a temporary folder holds stand-in modules (never used by the
computation).
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
    # TRL 0.8's trainer/utils imports rich's classes for its RichProgressCallback (not used here)
    "rich/__init__.py": "",
    "rich/_refuse.py": "class Refuse:\n    def __init__(self, *a, **k): raise RuntimeError('rich stand-in')\n",
    "rich/console.py": "from ._refuse import Refuse as Console, Refuse as Group\n",
    "rich/live.py": "from ._refuse import Refuse as Live\n",
    "rich/panel.py": "from ._refuse import Refuse as Panel\n",
    "rich/progress.py": "from ._refuse import Refuse as Progress\n",
}
standins = tempfile.mkdtemp(prefix="orpo_standins_")
atexit.register(shutil.rmtree, standins, True)
for rel, text in STANDINS.items():
    os.makedirs(os.path.dirname(os.path.join(standins, rel)), exist_ok=True)
    with open(os.path.join(standins, rel), "w") as f:
        f.write(text)
sys.path.insert(0, standins)
sys.path.insert(0, os.path.join(peer_env.PEER_SRC, "trl"))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import transformers  # noqa: E402
import peft  # noqa: E402
import accelerate  # noqa: E402
import trl  # noqa: E402
from trl.trainer.orpo_trainer import ORPOTrainer  # noqa: E402
from trl.trainer.utils import DPODataCollatorWithPadding  # noqa: E402
import st_io  # noqa: E402


class TrlSelf:
    """The `self` ORPOTrainer's loss methods see: their own functions plus the attributes they read."""
    concatenated_inputs = ORPOTrainer.__dict__["concatenated_inputs"]  # staticmethod
    get_batch_logps = ORPOTrainer.__dict__["get_batch_logps"]  # staticmethod
    concatenated_forward = ORPOTrainer.concatenated_forward
    odds_ratio_loss = ORPOTrainer.odds_ratio_loss
    get_batch_loss_metrics = ORPOTrainer.get_batch_loss_metrics

    def __init__(self, beta):
        self.beta = beta
        self.is_encoder_decoder, self.label_pad_token_id, self.padding_value = False, -100, 0
        self.accelerator = types.SimpleNamespace(device=torch.device("cpu"), unwrap_model=lambda m: m)

    def parts(self, model, batch):  # what get_batch_loss_metrics does, keeping the parts
        pc, pr, _, _, nll = self.concatenated_forward(model, batch)
        losses, c_rew, r_rew, log_odds_ratio, log_odds_chosen = self.odds_ratio_loss(pc, pr)
        return dict(policy_chosen_logps=pc, policy_rejected_logps=pr, chosen_nll_loss=nll, losses=losses,
                    chosen_rewards=c_rew, rejected_rewards=r_rew,
                    log_odds_ratio=torch.tensor([log_odds_ratio], dtype=torch.float32),
                    log_odds_chosen=torch.tensor([log_odds_chosen], dtype=torch.float32))


models_dir, dpo_dir, out_dir = sys.argv[1:4]
os.makedirs(out_dir, exist_ok=True)
print(f"torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}, "
      f"accelerate {accelerate.__version__}, trl {trl.__version__}")
dpo = st_io.read_file(os.path.join(dpo_dir, "llama.safetensors"))[0]
pairs = [[dpo[f"{side}.{i}"] for side in ("prompt", "chosen", "rejected")] for i in range(2)]
# the ids are those of torch.Generator().manual_seed(0), lengths (5, 4, 6) and (7, 6, 3), as in the DPO generator
gen = torch.Generator().manual_seed(0)
redrawn = [[torch.randint(1, 1000, (n,), generator=gen) for n in lens] for lens in [(5, 4, 6), (7, 6, 3)]]
assert all(torch.equal(a, b) for pa, pb in zip(pairs, redrawn) for a, b in zip(pa, pb))
features = []
for prompt, chosen, rejected in pairs:
    row = {}
    for side, answer in (("chosen", chosen), ("rejected", rejected)):
        row[f"{side}_input_ids"] = torch.cat([prompt, answer]).tolist()
        row[f"{side}_attention_mask"] = [1] * (len(prompt) + len(answer))
        row[f"{side}_labels"] = [-100] * len(prompt) + answer.tolist()
    features.append(row)
batch = DPODataCollatorWithPadding(pad_token_id=0, label_pad_token_id=-100)(features)
cat = ORPOTrainer.concatenated_inputs(batch, label_pad_token_id=-100, padding_value=0)
fixed = {"input_ids": cat["concatenated_input_ids"], "attention_mask": cat["concatenated_attention_mask"],
         "labels": cat["concatenated_labels"]}
for k in fixed:
    assert torch.equal(fixed[k], dpo[k]), f"{k} differs from the DPO fixture's"
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

    def run(prefix, keys, **cfg):
        model.zero_grad(set_to_none=True)
        trainer = TrlSelf(**cfg)
        res = trainer.parts(model, batch)
        loss, metrics = trainer.get_batch_loss_metrics(model, batch)  # TRL's whole path: the total loss
        mine = res["chosen_nll_loss"] - res["losses"].mean()
        assert torch.allclose(loss, mine, rtol=1e-6, atol=0), (loss, mine)
        assert metrics["nll_loss"].item() == res["chosen_nll_loss"].item()
        assert metrics["log_odds_ratio"] == res["log_odds_ratio"].item()
        loss.backward()  # the gradient of TRL's own total
        res["loss"] = loss
        out.update({f"{prefix}grad.{n}": p.grad.detach().clone() for n, p in named.items()})
        out.update({prefix + k: res[k].detach().clone().reshape(-1) for k in keys})
        print(f"{name} {prefix or 'beta 0.1: '}" + ", ".join(f"{k} {fmt(res[k])}" for k in keys)
              + f" (loss == nll - mean(losses) exactly: {torch.equal(loss, mine)})")
        return res

    res = run("", ["policy_chosen_logps", "policy_rejected_logps", "chosen_nll_loss", "losses", "chosen_rewards",
                   "rejected_rewards", "log_odds_ratio", "log_odds_chosen", "loss"], beta=0.1)
    run("b05.", ["losses", "loss"], beta=0.5)

    # independent checks of the conventions (not stored): the NLL is the token mean of next-token
    # cross-entropy over every position of the two chosen rows, targets = input_ids shifted (prompt and
    # padding id 0 included); the log-probs are per-row means over the answer tokens
    with torch.no_grad():
        logits = model(fixed["input_ids"], attention_mask=fixed["attention_mask"]).logits
        ids, lab = fixed["input_ids"], fixed["labels"]
        nll = F.cross_entropy(logits[:2, :-1].reshape(-1, logits.shape[-1]), ids[:2, 1:].reshape(-1))
        assert torch.allclose(nll, res["chosen_nll_loss"], rtol=1e-6), (nll, res["chosen_nll_loss"])
        lp = logits[:, :-1].log_softmax(-1).gather(2, ids[:, 1:, None]).squeeze(2)
        m = (lab[:, 1:] != -100).float()
        avg = (lp * m).sum(1) / m.sum(1)
        assert torch.allclose(avg[:2], res["policy_chosen_logps"], rtol=1e-6)
        assert torch.allclose(avg[2:], res["policy_rejected_logps"], rtol=1e-6)
        am = fixed["attention_mask"][:2, 1:].float()
        nonpad = -(lp[:2] * am).sum() / am.sum()
        answer = -(lp[:2] * m[:2]).sum() / m[:2].sum()
        print(f"{name} other NLL normalizations (not TRL v0.8.x, not stored): prompt+answer without padding "
              f"(TRL >= 0.9.3) {nonpad.item():.6f}, answer tokens only {answer.item():.6f}")

    # The same loss with the NLL's padding masked, as TRL >= 0.9.3 computes it (targets are the
    # chosen rows' input_ids where the attention mask is 1, -100 elsewhere): TRL 0.8.6's own log-probs
    # and odds-ratio terms, only the NLL's targets differ. What LoRA Studio trains ("nopad." keys).
    def nopad_loss(trainer):
        pc, pr, c_logits, _, _ = trainer.concatenated_forward(model, batch)
        losses = trainer.odds_ratio_loss(pc, pr)[0]
        ids, am = fixed["input_ids"][:2], fixed["attention_mask"][:2]
        targets = torch.where(am == 1, ids, torch.full_like(ids, -100))[:, 1:]
        nll = F.cross_entropy(c_logits[:, :-1].reshape(-1, c_logits.shape[-1]), targets.reshape(-1), ignore_index=-100)
        return nll, nll - losses.mean()

    model.zero_grad(set_to_none=True)
    nll_np, loss_np = nopad_loss(TrlSelf(beta=0.1))
    loss_np.backward()
    out["nopad.chosen_nll_loss"] = nll_np.detach().clone().reshape(-1)
    out["nopad.loss"] = loss_np.detach().clone().reshape(-1)
    out.update({f"nopad.grad.{n}": p.grad.detach().clone() for n, p in named.items()})
    print(f"{name} nopad: chosen_nll_loss {fmt(nll_np)}, loss {fmt(loss_np)}")
    start = {n: p.detach().clone() for n, p in named.items()}
    model.zero_grad(set_to_none=True)
    opt = torch.optim.AdamW([p for p in named.values()], lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    np_losses = []
    for step in range(3):
        opt.zero_grad(set_to_none=True)
        loss = nopad_loss(TrlSelf(beta=0.1))[1]
        np_losses.append(loss.item())
        loss.backward()
        opt.step()
    with torch.no_grad():
        np_losses.append(nopad_loss(TrlSelf(beta=0.1))[1].item())
    out["nopad.train.losses"] = torch.tensor(np_losses, dtype=torch.float64)
    out.update({f"nopad.step3.{n}": p.detach().clone() for n, p in named.items()})
    print(f"{name} nopad.train.losses {[round(x, 6) for x in np_losses]}")
    with torch.no_grad():  # back to the fixture adapter for TRL 0.8.6's own three steps
        for n, p in named.items():
            p.copy_(start[n])

    model.zero_grad(set_to_none=True)
    trainer = TrlSelf(beta=0.1)
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
    assert losses[0] == out["loss"].item()
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
