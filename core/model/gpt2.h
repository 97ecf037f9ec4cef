// GPT2LMHeadModel: learned positions, pre-LayerNorm blocks, Conv1D projections ([in, out]),
// gelu_new MLP, lm_head tied to transformer.wte. Module names follow transformers exactly.
#pragma once
#include "model/basic_layers.h"
#include "model/causal_lm.h"
#include "model/decoder_stack.h"
#include "model/linear_layer.h"

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <vector>

namespace lorastudio {

struct ForwardContext;

class Gpt2Attention : public torch::nn::Module {
public:
    Gpt2Attention(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options);
    // x: [B, T, C] -> [B, T, C]
    at::Tensor forward(const at::Tensor& x, const ForwardContext& ctx);

private:
    int64_t m_layer, m_heads, m_headDim;
    double m_scoreDivisor;
    std::shared_ptr<LinearLayer> m_cAttn;  // C -> 3C (q | k | v)
    std::shared_ptr<LinearLayer> m_cProj;  // C -> C
};

class Gpt2Mlp : public torch::nn::Module {
public:
    Gpt2Mlp(const ModelSpec& spec, const at::TensorOptions& options);
    // x: [B, T, C] -> [B, T, C]
    at::Tensor forward(const at::Tensor& x);

private:
    Activation m_act;
    std::shared_ptr<LinearLayer> m_cFc;    // C -> I
    std::shared_ptr<LinearLayer> m_cProj;  // I -> C
};

class Gpt2Block : public torch::nn::Module {
public:
    Gpt2Block(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options);
    // x: [B, T, C] -> [B, T, C]
    at::Tensor forward(const at::Tensor& x, const ForwardContext& ctx);

private:
    std::shared_ptr<LayerNormLayer> m_ln1, m_ln2;
    std::shared_ptr<Gpt2Attention> m_attn;
    std::shared_ptr<Gpt2Mlp> m_mlp;
};

// "transformer": wte, wpe, h.<i>, ln_f.
class Gpt2Model : public torch::nn::Module {
public:
    static constexpr const char* kModuleName = "transformer";  // its name under Gpt2LMHeadModel

    Gpt2Model(const ModelSpec& spec, const at::TensorOptions& options);
    // ids, positions: [B, T] -> final hidden [B, T, C]; appends to `hidden` when non-null.
    at::Tensor forward(const at::Tensor& ids, const ForwardContext& ctx, std::vector<at::Tensor>* hidden);
    std::shared_ptr<EmbeddingLayer> embedTokens() const { return m_wte; }  // wte

private:
    std::shared_ptr<EmbeddingLayer> m_wte, m_wpe;
    std::vector<std::shared_ptr<Gpt2Block>> m_blocks;
    std::shared_ptr<LayerNormLayer> m_lnF;
};

// "transformer", then lm_head (tied to wte by default): decoder_stack.h.
using Gpt2LMHeadModel = DecoderForCausalLM<Gpt2Model>;

// The family's entries in the architecture table: config.json (GPT2Config's defaults), the
// parameters (Conv1D weights [in, out]), the factory.
void readGpt2Config(const nlohmann::json& j, ModelSpec& spec, const std::string& where);
std::vector<ParameterInfo> gpt2Parameters(const ModelSpec& spec);
std::shared_ptr<CausalLM> createGpt2(const ModelSpec& spec, const at::TensorOptions& options);

} // namespace lorastudio
