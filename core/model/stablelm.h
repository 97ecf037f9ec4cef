// StableLM (StableLmForCausalLM: StableLM 2 1.6B, StableLM-3B-4E1T, Zephyr-style fine-tunes): the
// Llama layout with LayerNorm (weight and bias) instead of RMSNorm, RoPE over the first quarter of
// each head (partial_rotary_factor), optional q/k/v biases (use_qkv_bias), an untied head by
// default. Attention and MLP are the Llama family's modules (same names, same math). Module names and
// registration order follow transformers' modeling_stablelm. StableLM 2 12B's per-head q/k
// LayerNorm and parallel residual are refused by the config reader.
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

class StableLmDecoderLayer : public torch::nn::Module {
public:
    StableLmDecoderLayer(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options);
    // x: [B, T, C] -> x + attn(ln1(x)) = h -> h + mlp(ln2(h)): [B, T, C]
    at::Tensor forward(const at::Tensor& x, const ForwardContext& ctx);

private:
    std::shared_ptr<LlamaAttention> m_attn;
    std::shared_ptr<LlamaMlp> m_mlp;
    std::shared_ptr<LayerNormLayer> m_inputNorm, m_postAttentionNorm;
};

// "model" (embed_tokens, layers.<i>, norm) and the causal LM around it: decoder_stack.h.
using StableLmModel = DecoderModel<StableLmDecoderLayer, LayerNormLayer>;
using StableLmForCausalLM = DecoderForCausalLM<StableLmModel>;

// The family's entry in the architecture table: config.json with StableLmConfig's defaults, the
// parameters, the factory.
void readStableLmConfig(const nlohmann::json& j, ModelSpec& spec, const std::string& where);
std::vector<ParameterInfo> stableLmParameters(const ModelSpec& spec);
std::shared_ptr<CausalLM> createStableLm(const ModelSpec& spec, const at::TensorOptions& options);

} // namespace lorastudio
