// Phi-3 and Phi-4-mini (Phi3ForCausalLM): the Llama layout with q, k and v fused into one qkv_proj
// and gate and up into one gate_up_proj (the names PEFT targets), LongRoPE (short / long factors
// chosen by the sequence length), partial rotary (Phi-4-mini), a sliding window. Module names and
// registration order follow transformers' modeling_phi3.
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

class Phi3Attention : public torch::nn::Module {
public:
    Phi3Attention(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options);
    // x: [B, T, C] -> qkv [B, T, qDim + 2 kvDim] split into q, k, v -> [B, T, C]
    at::Tensor forward(const at::Tensor& x, const ForwardContext& ctx);

private:
    int64_t m_layer, m_heads, m_kvHeads, m_headDim;
    std::shared_ptr<LinearLayer> m_o, m_qkv;
};

class Phi3Mlp : public torch::nn::Module {
public:
    Phi3Mlp(const ModelSpec& spec, const at::TensorOptions& options);
    // x: [B, T, C] -> gate_up [B, T, 2I] -> down(up * act(gate)): [B, T, C]
    at::Tensor forward(const at::Tensor& x);

private:
    Activation m_act;
    int64_t m_intermediate;
    std::shared_ptr<LinearLayer> m_gateUp, m_down;
};

class Phi3DecoderLayer : public torch::nn::Module {
public:
    Phi3DecoderLayer(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options);
    // x: [B, T, C] -> [B, T, C]
    at::Tensor forward(const at::Tensor& x, const ForwardContext& ctx);

private:
    std::shared_ptr<Phi3Attention> m_attn;
    std::shared_ptr<Phi3Mlp> m_mlp;
    std::shared_ptr<RMSNormLayer> m_inputNorm, m_postAttentionNorm;
};

// "model" (embed_tokens, layers.<i>, norm): decoder_stack.h.
using Phi3Model = DecoderModel<Phi3DecoderLayer, RMSNormLayer>;

class Phi3ForCausalLM : public DecoderForCausalLM<Phi3Model> {
public:
    using DecoderForCausalLM::DecoderForCausalLM;
    // transformers' Phi3ForCausalLM.prepare_inputs_for_generation: keys cached under the short
    // LongRoPE factors are recomputed once when the sequence first outgrows
    // original_max_position_embeddings.
    bool dropsCacheAt(int64_t cachedLength, int64_t totalLength) const override;
};

// The family's entries in the architecture table: config.json with Phi3Config's defaults, the
// parameters, the factory.
void readPhi3Config(const nlohmann::json& j, ModelSpec& spec, const std::string& where);
std::vector<ParameterInfo> phi3Parameters(const ModelSpec& spec);
std::shared_ptr<CausalLM> createPhi3(const ModelSpec& spec, const at::TensorOptions& options);

} // namespace lorastudio
