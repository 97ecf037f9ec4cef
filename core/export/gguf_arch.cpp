// GGUF lookups over the architecture table. See gguf_arch.h.
#include "export/gguf_arch.h"

#include "common/error.h"
#include "model/rope.h"

#include <cstdlib>
#include <utility>

namespace lorastudio {
namespace {

std::optional<std::string> lookUp(const std::string& name, const std::string& layerPrefix, const GgufLayout& layout) {
    for (const auto& p : layout.global)
        if (name == p.hf) return std::string(p.gguf);
    if (name.compare(0, layerPrefix.size(), layerPrefix) != 0) return std::nullopt;
    const auto dot = name.find('.', layerPrefix.size());
    if (dot == std::string::npos || dot == layerPrefix.size()) return std::nullopt;
    const std::string index = name.substr(layerPrefix.size(), dot - layerPrefix.size());
    if (index.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const std::string rest = name.substr(dot + 1);
    for (const auto& p : layout.layer)
        if (rest == p.hf) return "blk." + index + "." + p.gguf;
    return std::nullopt;
}

} // namespace

std::string ggufArchitecture(const ModelSpec& spec) { return spec.family().gguf.architecture; }

std::optional<std::string> ggufTensorName(const ModelSpec& spec, const std::string& hfName) {
    const ArchitectureInfo& family = spec.family();
    // Published GPT-2 checkpoints name tensors without "transformer."; the model's names have it.
    const std::string& omitted = family.omittedCheckpointPrefix;
    const bool prefixed = omitted.empty() || hfName.rfind(omitted, 0) == 0 || hfName == "lm_head.weight";
    return lookUp(prefixed ? hfName : omitted + hfName, family.layerPrefix, family.gguf);
}

std::optional<int64_t> qkPermuteHeads(const ModelSpec& spec, const std::string& hfName) {
    // Qwen2/3 use llama.cpp's NeoX rotation (halves, as transformers); GPT-2 has no RoPE.
    if (!spec.family().gguf.permuteQk) return std::nullopt;
    if (hfName.find(".self_attn.q_proj.") != std::string::npos) return spec.numHeads;
    if (hfName.find(".self_attn.k_proj.") != std::string::npos) return spec.numKvHeads;
    return std::nullopt;
}

void checkGgufSupport(const ModelSpec& spec, std::vector<std::string>& warnings) {
    const std::string where = "GGUF export";
    const GgufLayout& layout = spec.family().gguf;
    if (layout.architecture.empty())
        throw Error(where, std::string(architectureName(spec.architecture)) + " is not exported as GGUF: " + layout.refusal,
                    "export the merged model (or the adapter) as safetensors instead");
    // The checks below are about llama.cpp's graphs, named as llama.cpp names them.
    const bool gpt2Graph = layout.architecture == "gpt2";
    if (gpt2Graph && (!spec.scaleAttnWeights || spec.scaleAttnByInverseLayerIdx))
        throw Error(where, "llama.cpp's gpt2 graph always scales attention by 1/sqrt(head_dim); this model's config (" +
                               spec.configPath + ") sets scale_attn_weights or scale_attn_by_inverse_layer_idx otherwise",
                    "export the merged model as safetensors instead");
    if (gpt2Graph && spec.activation != Activation::GeluNew && spec.activation != Activation::GeluTanh)
        throw Error(where, std::string("llama.cpp's gpt2 graph uses the tanh GELU; this model uses ") + activationName(spec.activation),
                    "export the merged model as safetensors instead");
    if (!gpt2Graph && spec.activation != Activation::Silu)
        throw Error(where, std::string("llama.cpp runs this architecture with SiLU; this model uses ") + activationName(spec.activation),
                    "export the merged model as safetensors instead");
    if (spec.ropeScaling.type == RopeType::Llama3 && layout.architecture != "llama")
        throw Error(where, "Llama-3 RoPE scaling is written for llama.cpp's llama graph only, not " + ggufArchitecture(spec));
    if (spec.slidingWindow > 0 && spec.slidingWindow < spec.maxPositions)
        warnings.push_back("llama.cpp attends over the whole context where this model has a sliding window of " +
                           std::to_string(spec.slidingWindow) + " tokens: outputs agree up to that length only");
    if (spec.headDim % 2 != 0 && spec.family().activation.rotary)
        throw Error(where, "head_dim " + std::to_string(spec.headDim) + " is odd; RoPE needs pairs");
}

void writeHyperParameters(const ModelSpec& spec, gguf::Writer& w) {
    using gguf::Value;
    const std::string a = ggufArchitecture(spec);
    w.set("general.architecture", Value::string(a));
    w.set(a + ".context_length", Value::u32(static_cast<uint32_t>(spec.maxPositions)));
    w.set(a + ".embedding_length", Value::u32(static_cast<uint32_t>(spec.hiddenSize)));
    w.set(a + ".block_count", Value::u32(static_cast<uint32_t>(spec.numLayers)));
    w.set(a + ".feed_forward_length", Value::u32(static_cast<uint32_t>(spec.intermediateSize)));
    w.set(a + ".attention.head_count", Value::u32(static_cast<uint32_t>(spec.numHeads)));
    w.set(a + ".vocab_size", Value::u32(static_cast<uint32_t>(spec.vocabSize)));
    if (a == "gpt2") {  // LayerNorm, no RoPE
        w.set(a + ".attention.layer_norm_epsilon", Value::f32(static_cast<float>(spec.normEps)));
        return;
    }
    w.set(a + ".attention.head_count_kv", Value::u32(static_cast<uint32_t>(spec.numKvHeads)));
    w.set(a + ".attention.layer_norm_rms_epsilon", Value::f32(static_cast<float>(spec.normEps)));
    w.set(a + ".attention.key_length", Value::u32(static_cast<uint32_t>(spec.headDim)));
    w.set(a + ".attention.value_length", Value::u32(static_cast<uint32_t>(spec.headDim)));
    w.set(a + ".rope.freq_base", Value::f32(static_cast<float>(spec.ropeTheta)));
    w.set(a + ".rope.dimension_count", Value::u32(static_cast<uint32_t>(spec.headDim)));
    if (spec.ropeScaling.type == RopeType::Linear) {
        w.set(a + ".rope.scaling.type", Value::string("linear"));
        w.set(a + ".rope.scaling.factor", Value::f32(static_cast<float>(spec.ropeScaling.factor)));
    }
}

std::vector<float> ropeFrequencyFactors(const ModelSpec& spec) {
    if (spec.ropeScaling.type != RopeType::Llama3) return {};
    ModelSpec plain = spec;
    plain.ropeScaling = RopeScaling{};
    const at::Tensor factors = (ropeInverseFrequencies(plain) / ropeInverseFrequencies(spec)).to(at::kFloat).contiguous();
    const float* p = factors.data_ptr<float>();
    return std::vector<float>(p, p + factors.numel());
}

} // namespace lorastudio
