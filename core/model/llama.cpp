// Llama-family forward, mirroring transformers' modeling_llama / qwen2 / qwen3 / mistral (eager
// attention). See llama.h.
#include "model/llama.h"

#include "common/error.h"
#include "common/json_file.h"
#include "model/config_keys.h"
#include "model/kv_cache.h"

#include <cmath>

namespace lorastudio {

LlamaAttention::LlamaAttention(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options,
                               const AttentionScoring& scoring)
    : m_layer(layerIndex), m_heads(spec.numHeads), m_kvHeads(spec.numKvHeads), m_headDim(spec.headDim),
      m_scoreDivisor(scoring.scoreDivisor > 0 ? scoring.scoreDivisor : std::sqrt(static_cast<double>(spec.headDim))),
      m_softcap(scoring.softcap) {
    const int64_t C = spec.hiddenSize;
    auto linear = [&](const char* name, int64_t in, int64_t out, bool bias) {
        return register_module(name, std::make_shared<LinearLayer>(in, out, bias, false, options));
    };
    m_q = linear("q_proj", C, spec.qDim(), spec.qkvBias);
    m_k = linear("k_proj", C, spec.kvDim(), spec.qkvBias);
    m_v = linear("v_proj", C, spec.kvDim(), spec.qkvBias);
    m_o = linear("o_proj", spec.qDim(), C, spec.outputBias);
    if (spec.qkNorm) {
        auto norm = [&](const char* name) {
            return register_module(name, std::make_shared<RMSNormLayer>(m_headDim, spec.normEps, options,
                                                                        scoring.qkNormWeight));
        };
        m_qNorm = norm("q_norm");
        m_kNorm = norm("k_norm");
    }
}

at::Tensor LlamaAttention::forward(const at::Tensor& x, const ForwardContext& ctx) {
    const int64_t B = x.size(0), T = x.size(1);
    auto q = m_q->forward(x).view({B, T, m_heads, m_headDim});    // [B, T, H, D]
    auto k = m_k->forward(x).view({B, T, m_kvHeads, m_headDim});  // [B, T, Hkv, D]
    auto v = m_v->forward(x).view({B, T, m_kvHeads, m_headDim});
    if (m_qNorm) {  // Qwen3, Gemma 3: RMSNorm over head_dim of every head, before RoPE
        q = m_qNorm->forward(q);
        k = m_kNorm->forward(k);
    }
    q = q.transpose(1, 2);  // [B, H, T, D]
    k = k.transpose(1, 2);  // [B, Hkv, T, D]
    v = v.transpose(1, 2);
    std::tie(q, k) = applyRotary(q, k, ctx.cos, ctx.sin);
    if (ctx.cache) std::tie(k, v) = ctx.cache->append(m_layer, k, v);  // [B, Hkv, S, D]
    auto out = scaledDotProductAttention(q, k, v, ctx.mask, m_scoreDivisor, ctx.backend, m_softcap);
    return m_o->forward(out.transpose(1, 2).reshape({B, T, m_heads * m_headDim}));
}

LlamaMlp::LlamaMlp(const ModelSpec& spec, const at::TensorOptions& options) : m_act(spec.activation) {
    const int64_t C = spec.hiddenSize, I = spec.intermediateSize;
    m_gate = register_module("gate_proj", std::make_shared<LinearLayer>(C, I, spec.mlpBias, false, options));
    m_up = register_module("up_proj", std::make_shared<LinearLayer>(C, I, spec.mlpBias, false, options));
    m_down = register_module("down_proj", std::make_shared<LinearLayer>(I, C, spec.mlpBias, false, options));
}

at::Tensor LlamaMlp::forward(const at::Tensor& x) {
    return m_down->forward(applyActivation(m_act, m_gate->forward(x)) * m_up->forward(x));
}

LlamaDecoderLayer::LlamaDecoderLayer(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options) {
    m_attn = register_module("self_attn", std::make_shared<LlamaAttention>(spec, layerIndex, options));
    m_mlp = register_module("mlp", std::make_shared<LlamaMlp>(spec, options));
    m_inputNorm = register_module("input_layernorm",
                                  std::make_shared<RMSNormLayer>(spec.hiddenSize, spec.normEps, options));
    m_postAttentionNorm = register_module("post_attention_layernorm",
                                          std::make_shared<RMSNormLayer>(spec.hiddenSize, spec.normEps, options));
}

at::Tensor LlamaDecoderLayer::forward(const at::Tensor& x, const ForwardContext& ctx) {
    auto h = x + m_attn->forward(m_inputNorm->forward(x), ctx);
    return h + m_mlp->forward(m_postAttentionNorm->forward(h));
}

namespace {

// Qwen2/Qwen3 configs carry use_sliding_window (false in every published checkpoint).
void refuseQwenSlidingWindow(const nlohmann::json& j, const ModelSpec& s, const std::string& where) {
    if (optionalKey<bool>(j, "use_sliding_window", false, where))
        throw Error(where, "key 'use_sliding_window' is true: sliding-window attention is not supported for " +
                               std::string(architectureName(s.architecture)),
                    "set it to false; the published Qwen checkpoints do");
}

} // namespace

void readLlamaConfig(const nlohmann::json& j, ModelSpec& s, const std::string& where) {
    readDecoderConfig(j, s, where, 2048);
    s.qkvBias = s.outputBias = optionalKey<bool>(j, "attention_bias", false, where);
    s.mlpBias = optionalKey<bool>(j, "mlp_bias", false, where);
}

void readMistralConfig(const nlohmann::json& j, ModelSpec& s, const std::string& where) {
    readDecoderConfig(j, s, where, 4096 * 32);
    s.slidingWindow = optionalKey<int64_t>(j, "sliding_window", 0, where);
    if (s.slidingWindow < 0) throwKeyError(where, "sliding_window", "must not be negative");
}

void readQwen2Config(const nlohmann::json& j, ModelSpec& s, const std::string& where) {
    readDecoderConfig(j, s, where, 32768);
    s.qkvBias = true;  // Qwen2Attention: q/k/v with bias, o_proj without
    refuseQwenSlidingWindow(j, s, where);
}

void readQwen3Config(const nlohmann::json& j, ModelSpec& s, const std::string& where) {
    readDecoderConfig(j, s, where, 32768);
    s.qkvBias = s.outputBias = optionalKey<bool>(j, "attention_bias", false, where);
    s.qkNorm = true;
    refuseQwenSlidingWindow(j, s, where);
}

std::vector<ParameterInfo> llamaParameters(const ModelSpec& s) {
    const int64_t C = s.hiddenSize, I = s.intermediateSize;
    return decoderStackParameters(s, false, [&](ParameterList& list, const std::string& p) {
        list.attention(p + "self_attn.", s);
        list.linear(p + "mlp.gate_proj", C, I, s.mlpBias);
        list.linear(p + "mlp.up_proj", C, I, s.mlpBias);
        list.linear(p + "mlp.down_proj", I, C, s.mlpBias);
        list.add(p + "input_layernorm.weight", {C});
        list.add(p + "post_attention_layernorm.weight", {C});
    });
}

std::shared_ptr<CausalLM> createLlama(const ModelSpec& spec, const at::TensorOptions& options) {
    return std::make_shared<LlamaForCausalLM>(spec, options);
}

} // namespace lorastudio
