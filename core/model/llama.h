// The Llama family (LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM):
// RMSNorm pre-norm blocks, RoPE, grouped-query attention, SwiGLU MLP. The differences are flags
// in ModelSpec: q/k/v/o biases, per-head q/k RMSNorm (Qwen3), sliding window (Mistral).
#pragma once
#include "model/basic_layers.h"
#include "model/causal_lm.h"
#include "model/decoder_stack.h"
#include "model/linear_layer.h"
#include "model/rope.h"

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <vector>

namespace lorastudio {

// What sets a family's attention apart from Llama's: the score divisor (0 = sqrt(head_dim); Gemma:
// sqrt(query_pre_attn_scalar)), soft-capping of the scores (Gemma 2) and the q/k norms' weight (Gemma 3).
struct AttentionScoring {
    double scoreDivisor = 0;
    double softcap = 0;
    RmsNormWeight qkNormWeight = RmsNormWeight::Scale;
};

// Grouped-query attention with RoPE and, where spec.qkNorm (Qwen3, Gemma 3), an RMSNorm over
// head_dim of every query and key head before RoPE. Modules q_proj, k_proj, v_proj, o_proj, q_norm, k_norm.
class LlamaAttention : public torch::nn::Module {
public:
    LlamaAttention(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options,
                   const AttentionScoring& scoring = {});
    // x: [B, T, C] -> [B, T, C]; ctx carries this layer's mask, RoPE tables and KV cache.
    at::Tensor forward(const at::Tensor& x, const ForwardContext& ctx);

private:
    int64_t m_layer, m_heads, m_kvHeads, m_headDim;
    double m_scoreDivisor, m_softcap;
    std::shared_ptr<LinearLayer> m_q, m_k, m_v, m_o;
    std::shared_ptr<RMSNormLayer> m_qNorm, m_kNorm;  // Qwen3 and Gemma 3 only
};

class LlamaMlp : public torch::nn::Module {
public:
    LlamaMlp(const ModelSpec& spec, const at::TensorOptions& options);
    // x: [B, T, C] -> down(act(gate(x)) * up(x)): [B, T, C]
    at::Tensor forward(const at::Tensor& x);

private:
    Activation m_act;
    std::shared_ptr<LinearLayer> m_gate, m_up, m_down;
};

class LlamaDecoderLayer : public torch::nn::Module {
public:
    LlamaDecoderLayer(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options);
    // x: [B, T, C] -> [B, T, C]
    at::Tensor forward(const at::Tensor& x, const ForwardContext& ctx);

private:
    std::shared_ptr<LlamaAttention> m_attn;
    std::shared_ptr<LlamaMlp> m_mlp;
    std::shared_ptr<RMSNormLayer> m_inputNorm, m_postAttentionNorm;
};

// "model" (embed_tokens, layers.<i>, norm) and the causal LM around it: decoder_stack.h.
using LlamaModel = DecoderModel<LlamaDecoderLayer, RMSNormLayer>;
using LlamaForCausalLM = DecoderForCausalLM<LlamaModel>;

// The family's entries in the architecture table: config.json readers with each configuration
// class's defaults (max_position_embeddings, biases, sliding window, q/k norm), the parameters, the
// factory.
void readLlamaConfig(const nlohmann::json& j, ModelSpec& spec, const std::string& where);
void readMistralConfig(const nlohmann::json& j, ModelSpec& spec, const std::string& where);
void readQwen2Config(const nlohmann::json& j, ModelSpec& spec, const std::string& where);
void readQwen3Config(const nlohmann::json& j, ModelSpec& spec, const std::string& where);
std::vector<ParameterInfo> llamaParameters(const ModelSpec& spec);
std::shared_ptr<CausalLM> createLlama(const ModelSpec& spec, const at::TensorOptions& options);

} // namespace lorastudio
