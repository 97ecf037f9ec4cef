// Gemma 2 and Gemma 3 (text): Gemma2ForCausalLM, Gemma3ForCausalLM. Pre- and post-norms around
// attention and MLP with zero-centred RMSNorm weights ((1 + w), applied in fp32), the embedding
// scaled by sqrt(hidden) in the compute dtype, GeGLU, query_pre_attn_scalar, alternating
// sliding-window layers, tied head; Gemma 2 soft-caps attention scores and logits, Gemma 3 adds
// q/k norms and a separate RoPE base for its sliding layers. Module names follow transformers.
#pragma once
#include "model/basic_layers.h"
#include "model/causal_lm.h"
#include "model/linear_layer.h"
#include "model/llama.h"
#include "model/rope.h"

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <vector>

namespace lorastudio {

// Gemma2RMSNorm / Gemma3RMSNorm: (x_fp32 * rsqrt(mean(x_fp32^2) + eps) * (1 + w_fp32)).to(x.dtype).
class GemmaRMSNorm : public torch::nn::Module {
public:
    GemmaRMSNorm(int64_t dim, double eps, const at::TensorOptions& options);
    // x: [..., dim] -> [..., dim]
    at::Tensor forward(const at::Tensor& x);

private:
    double m_eps;
    at::Tensor m_weight;
};

class GemmaAttention : public torch::nn::Module {
public:
    GemmaAttention(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options);
    // x: [B, T, C] -> [B, T, C]; ctx carries this layer's mask and RoPE tables (GemmaModel::forward).
    at::Tensor forward(const at::Tensor& x, const ForwardContext& ctx);

private:
    int64_t m_layer, m_heads, m_kvHeads, m_headDim;
    double m_scoreDivisor, m_softcap;
    std::shared_ptr<LinearLayer> m_q, m_k, m_v, m_o;
    std::shared_ptr<GemmaRMSNorm> m_qNorm, m_kNorm;  // Gemma 3 only
};

class GemmaDecoderLayer : public torch::nn::Module {
public:
    GemmaDecoderLayer(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options);
    // x: [B, T, C] -> x + post(attn(input(x))), then + post_ff(mlp(pre_ff(.))): [B, T, C]
    at::Tensor forward(const at::Tensor& x, const ForwardContext& ctx);
    bool sliding() const { return m_sliding; }

private:
    bool m_sliding;
    std::shared_ptr<GemmaAttention> m_attn;
    std::shared_ptr<LlamaMlp> m_mlp;  // gate/up/down with the configured activation (GeGLU)
    std::shared_ptr<GemmaRMSNorm> m_inputNorm, m_postAttentionNorm, m_preFeedforwardNorm, m_postFeedforwardNorm;
};

// "model": embed_tokens, layers.<i>, norm.
class GemmaModel : public torch::nn::Module {
public:
    GemmaModel(const ModelSpec& spec, const at::TensorOptions& options);
    // ids: [B, T] -> final hidden [B, T, C]; appends to `hidden` when non-null.
    at::Tensor forward(const at::Tensor& ids, ForwardContext& ctx, std::vector<at::Tensor>* hidden);
    std::shared_ptr<EmbeddingLayer> embedTokens() const { return m_embed; }

private:
    int64_t m_hidden;
    std::shared_ptr<EmbeddingLayer> m_embed;
    std::vector<std::shared_ptr<GemmaDecoderLayer>> m_layers;
    std::shared_ptr<GemmaRMSNorm> m_norm;
    RotaryEmbedding m_rope, m_localRope;  // the full layers' and the sliding layers' (Gemma 3: own base)
};

class GemmaForCausalLM : public CausalLM {
public:
    GemmaForCausalLM(const ModelSpec& spec, const at::TensorOptions& options);
    CausalLMOutput forward(const at::Tensor& inputIds, const at::Tensor& attentionMask = {},
                           const at::Tensor& positionIds = {}, KVCache* cache = nullptr,
                           bool outputHiddenStates = false) override;
    at::Tensor forwardHidden(const at::Tensor& inputIds, const at::Tensor& attentionMask = {},
                             const at::Tensor& positionIds = {}) override;
    LinearLayer& outputHead() override { return *m_lmHead; }

private:
    std::shared_ptr<GemmaModel> m_model;
    std::shared_ptr<LinearLayer> m_lmHead;
};

// The families' entries in the architecture table: config.json with Gemma2Config's /
// Gemma3TextConfig's defaults, the parameters, the factory.
void readGemma2Config(const nlohmann::json& j, ModelSpec& spec, const std::string& where);
void readGemma3Config(const nlohmann::json& j, ModelSpec& spec, const std::string& where);
std::vector<ParameterInfo> gemmaParameters(const ModelSpec& spec);
std::shared_ptr<CausalLM> createGemma(const ModelSpec& spec, const at::TensorOptions& options);

} // namespace lorastudio
