// GGUF tables per architecture. See gguf_arch.h.
#include "export/gguf_arch.h"

#include "common/error.h"
#include "model/rope.h"

#include <cstdlib>
#include <utility>

namespace lorastudio {
namespace {

struct NamePair {
    const char* hf;    // suffix after the layer prefix (or the whole name for globals)
    const char* gguf;
};

// Llama, Mistral, Qwen2, Qwen3: model.layers.N.<hf> -> blk.N.<gguf>.
const NamePair kLlamaLayer[] = {
    {"input_layernorm.weight", "attn_norm.weight"},
    {"self_attn.q_proj.weight", "attn_q.weight"},        {"self_attn.q_proj.bias", "attn_q.bias"},
    {"self_attn.k_proj.weight", "attn_k.weight"},        {"self_attn.k_proj.bias", "attn_k.bias"},
    {"self_attn.v_proj.weight", "attn_v.weight"},        {"self_attn.v_proj.bias", "attn_v.bias"},
    {"self_attn.o_proj.weight", "attn_output.weight"},   {"self_attn.o_proj.bias", "attn_output.bias"},
    {"self_attn.q_norm.weight", "attn_q_norm.weight"},   {"self_attn.k_norm.weight", "attn_k_norm.weight"},
    {"post_attention_layernorm.weight", "ffn_norm.weight"},
    {"mlp.gate_proj.weight", "ffn_gate.weight"},         {"mlp.gate_proj.bias", "ffn_gate.bias"},
    {"mlp.up_proj.weight", "ffn_up.weight"},             {"mlp.up_proj.bias", "ffn_up.bias"},
    {"mlp.down_proj.weight", "ffn_down.weight"},         {"mlp.down_proj.bias", "ffn_down.bias"},
};
const NamePair kLlamaGlobal[] = {
    {"model.embed_tokens.weight", "token_embd.weight"},
    {"model.norm.weight", "output_norm.weight"},
    {"lm_head.weight", "output.weight"},
};

// GPT-2: transformer.h.N.<hf> -> blk.N.<gguf>.
const NamePair kGpt2Layer[] = {
    {"ln_1.weight", "attn_norm.weight"},            {"ln_1.bias", "attn_norm.bias"},
    {"attn.c_attn.weight", "attn_qkv.weight"},      {"attn.c_attn.bias", "attn_qkv.bias"},
    {"attn.c_proj.weight", "attn_output.weight"},   {"attn.c_proj.bias", "attn_output.bias"},
    {"ln_2.weight", "ffn_norm.weight"},             {"ln_2.bias", "ffn_norm.bias"},
    {"mlp.c_fc.weight", "ffn_up.weight"},           {"mlp.c_fc.bias", "ffn_up.bias"},
    {"mlp.c_proj.weight", "ffn_down.weight"},       {"mlp.c_proj.bias", "ffn_down.bias"},
};
const NamePair kGpt2Global[] = {
    {"transformer.wte.weight", "token_embd.weight"},
    {"transformer.wpe.weight", "position_embd.weight"},
    {"transformer.ln_f.weight", "output_norm.weight"},
    {"transformer.ln_f.bias", "output_norm.bias"},
    {"lm_head.weight", "output.weight"},
};

template <std::size_t NL, std::size_t NG>
std::optional<std::string> lookUp(const std::string& name, const char* layerPrefix, const NamePair (&layer)[NL],
                                  const NamePair (&global)[NG]) {
    for (const auto& p : global)
        if (name == p.hf) return std::string(p.gguf);
    const std::string prefix = layerPrefix;
    if (name.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
    const auto dot = name.find('.', prefix.size());
    if (dot == std::string::npos || dot == prefix.size()) return std::nullopt;
    const std::string index = name.substr(prefix.size(), dot - prefix.size());
    if (index.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const std::string rest = name.substr(dot + 1);
    for (const auto& p : layer)
        if (rest == p.hf) return "blk." + index + "." + p.gguf;
    return std::nullopt;
}

} // namespace

std::string ggufArchitecture(const ModelSpec& spec) {
    switch (spec.architecture) {
    case Architecture::Llama:
    case Architecture::Mistral: return "llama";
    case Architecture::Qwen2: return "qwen2";
    case Architecture::Qwen3: return "qwen3";
    case Architecture::Gpt2: return "gpt2";
    }
    return "llama";
}

std::optional<std::string> ggufTensorName(const ModelSpec& spec, const std::string& hfName) {
    if (spec.isGpt2()) {
        // Published GPT-2 checkpoints name tensors without "transformer."; the model's names have it.
        const std::string name = hfName.rfind("transformer.", 0) == 0 || hfName == "lm_head.weight" ? hfName : "transformer." + hfName;
        return lookUp(name, "transformer.h.", kGpt2Layer, kGpt2Global);
    }
    return lookUp(hfName, "model.layers.", kLlamaLayer, kLlamaGlobal);
}

std::optional<int64_t> qkPermuteHeads(const ModelSpec& spec, const std::string& hfName) {
    // Qwen2/3 use llama.cpp's NeoX rotation (halves, as transformers); GPT-2 has no RoPE.
    if (spec.architecture != Architecture::Llama && spec.architecture != Architecture::Mistral) return std::nullopt;
    if (hfName.find(".self_attn.q_proj.") != std::string::npos) return spec.numHeads;
    if (hfName.find(".self_attn.k_proj.") != std::string::npos) return spec.numKvHeads;
    return std::nullopt;
}

void checkGgufSupport(const ModelSpec& spec, std::vector<std::string>& warnings) {
    const std::string where = "GGUF export";
    if (spec.isGpt2() && (!spec.scaleAttnWeights || spec.scaleAttnByInverseLayerIdx))
        throw Error(where, "llama.cpp's gpt2 graph always scales attention by 1/sqrt(head_dim); this model's config (" +
                               spec.configPath + ") sets scale_attn_weights or scale_attn_by_inverse_layer_idx otherwise",
                    "export the merged model as safetensors instead");
    if (spec.isGpt2() && spec.activation != Activation::GeluNew && spec.activation != Activation::GeluTanh)
        throw Error(where, std::string("llama.cpp's gpt2 graph uses the tanh GELU; this model uses ") + activationName(spec.activation),
                    "export the merged model as safetensors instead");
    if (!spec.isGpt2() && spec.activation != Activation::Silu)
        throw Error(where, std::string("llama.cpp runs this architecture with SiLU; this model uses ") + activationName(spec.activation),
                    "export the merged model as safetensors instead");
    if (spec.ropeScaling.type == RopeType::Llama3 && spec.architecture != Architecture::Llama)
        throw Error(where, "Llama-3 RoPE scaling is written for llama.cpp's llama graph only, not " + ggufArchitecture(spec));
    if (spec.slidingWindow > 0 && spec.slidingWindow < spec.maxPositions)
        warnings.push_back("llama.cpp attends over the whole context where this model has a sliding window of " +
                           std::to_string(spec.slidingWindow) + " tokens: outputs agree up to that length only");
    if (spec.headDim % 2 != 0 && !spec.isGpt2())
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
    if (spec.isGpt2()) {
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
