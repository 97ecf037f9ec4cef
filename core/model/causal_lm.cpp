// CausalLM helpers shared by the architectures: input validation, default positions, the mask,
// the factory, and seeded random initialisation.
#include "model/causal_lm.h"

#include "common/error.h"
#include "model/kv_cache.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <set>

namespace lorastudio {

namespace {
std::string sizesString(const at::Tensor& t) { return shapeString(t.sizes().vec()); }
} // namespace

at::ScalarType CausalLM::dtype() {
    for (const auto& p : parameters()) return p.scalar_type();
    return at::kFloat;
}

at::Device CausalLM::device() {
    for (const auto& p : parameters()) return p.device();
    return at::kCPU;
}

ForwardContext CausalLM::prepareForward(const at::Tensor& inputIds, const at::Tensor& attentionMask,
                                        const at::Tensor& positionIds, KVCache* cache) const {
    const std::string where = std::string(architectureName(m_spec.architecture)) + ".forward";
    if (!inputIds.defined() || inputIds.dim() != 2 || inputIds.size(1) == 0)
        throw Error(where, "input_ids must be [B, T] with T > 0 (got " +
                               (inputIds.defined() ? sizesString(inputIds) : std::string("undefined")) + ")");
    if (inputIds.scalar_type() != at::kLong) throw Error(where, "input_ids must be int64");
    const int64_t B = inputIds.size(0), T = inputIds.size(1);
    const int64_t maxId = inputIds.max().item<int64_t>(), minId = inputIds.min().item<int64_t>();
    if (minId < 0 || maxId >= m_spec.vocabSize)
        throw Error(where, "token id " + std::to_string(minId < 0 ? minId : maxId) + " outside the vocabulary [0, " +
                               std::to_string(m_spec.vocabSize) + ")",
                    "does the tokenizer belong to this model?");
    ForwardContext ctx;
    ctx.cache = cache;
    ctx.backend = m_backend;
    ctx.layerRunner = m_layerRunner;
    if (cache && cache->numLayers() != m_spec.numLayers)
        throw Error(where, "KV cache has " + std::to_string(cache->numLayers()) + " layers, the model " +
                               std::to_string(m_spec.numLayers));
    ctx.past = cache ? cache->length() : 0;
    const int64_t S = ctx.past + T;
    if (attentionMask.defined() && (attentionMask.dim() != 2 || attentionMask.size(0) != B || attentionMask.size(1) != S))
        throw Error(where, "attention_mask is " + sizesString(attentionMask) + ", expected [B, past + T] = [" +
                               std::to_string(B) + ", " + std::to_string(S) + "]");
    const auto device = inputIds.device();
    if (positionIds.defined()) {
        if (positionIds.dim() != 2 || positionIds.size(0) != B || positionIds.size(1) != T)
            throw Error(where, "position_ids is " + sizesString(positionIds) + ", expected [B, T] = [" +
                                   std::to_string(B) + ", " + std::to_string(T) + "]");
        ctx.positionIds = positionIds.to(device, at::kLong);
    } else {
        ctx.positionIds = at::arange(ctx.past, S, at::TensorOptions().dtype(at::kLong).device(device))
                              .unsqueeze(0)
                              .expand({B, T});
    }
    if (m_spec.family().learnedPositions) {  // a learned table has no row past n_positions
        const int64_t maxPos = positionIds.defined() ? ctx.positionIds.max().item<int64_t>() : S - 1;
        if (maxPos >= m_spec.maxPositions)
            throw Error(where, "position " + std::to_string(maxPos) + " exceeds n_positions (" +
                                   std::to_string(m_spec.maxPositions) + ")",
                        "shorten the sequence");
    }
    // Every layer slides (Mistral), or only some do (Gemma): those read slidingMask.
    const bool perLayer = !m_spec.slidingLayers.empty();
    ctx.mask = buildAttentionMask(attentionMask, B, T, S, perLayer ? 0 : m_spec.slidingWindow, device);
    if (perLayer) ctx.slidingMask = buildAttentionMask(attentionMask, B, T, S, m_spec.slidingWindow, device);
    return ctx;
}

std::shared_ptr<CausalLM> createCausalLM(const ModelSpec& spec, const at::TensorOptions& options) {
    return spec.family().create(spec, options);
}

void initRandom(CausalLM& model, uint64_t seed, double stddev) {
    torch::NoGradGuard noGrad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    std::set<const void*> seen;  // tied parameters are filled once
    for (auto& item : model.named_parameters()) {
        at::Tensor& p = item.value();
        if (!seen.insert(p.unsafeGetTensorImpl()).second) continue;
        const std::string& name = item.key();
        auto values = at::normal(0.0, stddev, p.sizes(), gen, at::TensorOptions().dtype(at::kFloat));
        const bool isNormWeight = p.dim() == 1 && name.size() > 7 && name.compare(name.size() - 7, 7, ".weight") == 0 &&
                                  (name.find("norm") != std::string::npos || name.find("ln_") != std::string::npos);
        if (isNormWeight) values += 1.0;
        p.copy_(values);
    }
}

} // namespace lorastudio
