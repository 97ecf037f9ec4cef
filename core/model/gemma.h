// Gemma 2 and Gemma 3 (text): Gemma2ForCausalLM, Gemma3ForCausalLM. Pre- and post-norms around
// attention and MLP with zero-centred RMSNorm weights ((1 + w), applied in fp32), the embedding
// scaled by sqrt(hidden) in the compute dtype, GeGLU, query_pre_attn_scalar, alternating
// sliding-window layers, tied head; Gemma 2 soft-caps attention scores and logits, Gemma 3 adds
// q/k norms and a separate RoPE base for its sliding layers. Module names follow transformers.
#pragma once
#include "model/basic_layers.h"
#include "model/causal_lm.h"
#include "model/decoder_stack.h"
#include "model/linear_layer.h"
#include "model/llama.h"
#include "model/rope.h"

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <vector>

namespace lorastudio {

// Gemma2RMSNorm / Gemma3RMSNorm: (x_fp32 * rsqrt(mean(x_fp32^2) + eps) * (1 + w_fp32)).to(x.dtype).
class GemmaRMSNorm : public RMSNormLayer {
public:
    GemmaRMSNorm(int64_t dim, double eps, const at::TensorOptions& options)
        : RMSNormLayer(dim, eps, options, RmsNormWeight::OnePlusInFp32) {}
};

class GemmaDecoderLayer : public torch::nn::Module {
public:
    GemmaDecoderLayer(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options);
    // x: [B, T, C] -> x + post(attn(input(x))), then + post_ff(mlp(pre_ff(.))): [B, T, C]
    at::Tensor forward(const at::Tensor& x, const ForwardContext& ctx);
    bool sliding() const { return m_sliding; }

private:
    bool m_sliding;
    std::shared_ptr<LlamaAttention> m_attn;  // scores over query_pre_attn_scalar, soft-capped, Gemma q/k norms
    std::shared_ptr<LlamaMlp> m_mlp;  // gate/up/down with the configured activation (GeGLU)
    std::shared_ptr<GemmaRMSNorm> m_inputNorm, m_postAttentionNorm, m_preFeedforwardNorm, m_postFeedforwardNorm;
};

// Gemma's departures from the plain stack (decoder_stack.h): the embedding scaled by sqrt(hidden),
// and the sliding layers run with the sliding mask and their own RoPE tables (Gemma 3's base).
class GemmaStackHooks {
public:
    // The full layers run with the forward's context, the sliding ones with `sliding`.
    struct LayerContexts {
        const ForwardContext& full;
        ForwardContext sliding;
        const ForwardContext& forLayer(const GemmaDecoderLayer& layer) const {
            return layer.sliding() ? sliding : full;
        }
    };

    explicit GemmaStackHooks(const ModelSpec& spec);
    // h: [B, T, C] -> h * sqrt(hidden), the factor rounded to h's dtype first.
    at::Tensor scaleEmbedding(const at::Tensor& h) const;
    // ctx (with the full layers' RoPE tables) -> the contexts of the full and the sliding layers.
    LayerContexts layerContexts(const ForwardContext& ctx, at::ScalarType dtype) const;

private:
    int64_t m_hidden;
    RotaryEmbedding m_localRope;  // the sliding layers' (Gemma 3: own base, no scaling)
};

// "model" (embed_tokens, layers.<i>, norm) and the causal LM around it, its logits soft-capped by
// spec.finalLogitSoftcap (Gemma 2): decoder_stack.h.
using GemmaModel = DecoderModel<GemmaDecoderLayer, GemmaRMSNorm, GemmaStackHooks>;
using GemmaForCausalLM = DecoderForCausalLM<GemmaModel>;

// The families' entries in the architecture table: config.json with Gemma2Config's /
// Gemma3TextConfig's defaults, the parameters, the factory.
void readGemma2Config(const nlohmann::json& j, ModelSpec& spec, const std::string& where);
void readGemma3Config(const nlohmann::json& j, ModelSpec& spec, const std::string& where);
std::vector<ParameterInfo> gemmaParameters(const ModelSpec& spec);
std::shared_ptr<CausalLM> createGemma(const ModelSpec& spec, const at::TensorOptions& options);

} // namespace lorastudio
