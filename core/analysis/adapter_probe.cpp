// See adapter_probe.h.
#include "analysis/adapter_probe.h"

#include "common/error.h"
#include "lora/peft_adapter.h"
#include "model/loader.h"
#include "tokenizer/tokenizer.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <algorithm>

namespace lorastudio {

const char* const kProbeText =
    "The quick brown fox jumps over the lazy dog. A low-rank update learns what the frozen model "
    "lacks; its singular values tell how many directions it uses.\n"
    "def add(a, b):\n    return a + b  # 2 + 3 = 5\n";

namespace {

// ids: [1, T] -> logits [1, T, V] of the base with `adapter` attached (then detached again).
at::Tensor logitsThrough(const std::shared_ptr<CausalLM>& model, const std::string& adapter, const at::Tensor& ids) {
    auto lora = loadAdapter(model, adapter);
    at::Tensor logits;
    {
        torch::NoGradGuard noGrad;
        logits = model->forward(ids).logits.to(at::kFloat);
    }
    lora->detach();
    return logits;
}

} // namespace

ProbeComparison compareOnProbe(const std::string& baseModelFolder, const std::string& firstAdapter,
                               const std::string& secondAdapter, const std::string& text) {
    const std::vector<int32_t> ids = Tokenizer::fromFolder(baseModelFolder).encode(text, /*addSpecialTokens=*/true);
    return compareOnProbeIds(baseModelFolder, firstAdapter, secondAdapter, std::vector<int64_t>(ids.begin(), ids.end()));
}

ProbeComparison compareOnProbeIds(const std::string& baseModelFolder, const std::string& firstAdapter,
                                  const std::string& secondAdapter, std::vector<int64_t> ids) {
    if (ids.empty()) throw Error(baseModelFolder, "the probe has no tokens");
    LoadedModel lm = loadCausalLM(baseModelFolder, at::kFloat);
    lm.model->eval();
    if (lm.spec.maxPositions > 0 && int64_t(ids.size()) > lm.spec.maxPositions)
        ids.resize(static_cast<std::size_t>(lm.spec.maxPositions));
    const at::Tensor batch = at::tensor(ids, at::kLong).view({1, int64_t(ids.size())});
    const at::Tensor first = logitsThrough(lm.model, firstAdapter, batch);
    const at::Tensor second = logitsThrough(lm.model, secondAdapter, batch);
    ProbeComparison out;
    out.tokens = int64_t(ids.size());
    out.maxAbsLogitDiff = (first - second).abs().max().item<double>();
    out.maxAbsLogit = first.abs().max().item<double>();
    return out;
}

} // namespace lorastudio
