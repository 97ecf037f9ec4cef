// The stack the Llama-style families share: DecoderModel ("model": embed_tokens, layers.<i>, norm, one
// RoPE) and DecoderForCausalLM (the model, then lm_head tied to the embedding or not; GPT-2's too). A
// family writes its decoder layer and names its norm; where it departs from the plain stack (Gemma)
// it passes a hooks type. decoderStackParameters lists the same parameters for the architecture
// table. Module names and registration order are the Hugging Face state-dict names.
#pragma once
#include "model/basic_layers.h"
#include "model/causal_lm.h"
#include "model/linear_layer.h"
#include "model/rope.h"

#include <torch/nn/modules/container/modulelist.h>

#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace lorastudio {

// What a family may change in DecoderModel's forward; these hooks change nothing.
struct PlainStackHooks {
    // Every layer runs with the forward's context.
    struct LayerContexts {
        const ForwardContext& ctx;
        template <class Layer>
        const ForwardContext& forLayer(const Layer&) const {
            return ctx;
        }
    };

    explicit PlainStackHooks(const ModelSpec&) {}
    // The embedding output before the first layer: [B, T, C] -> [B, T, C].
    at::Tensor scaleEmbedding(const at::Tensor& h) const { return h; }
    // The contexts the layers run with, made once a forward after ctx holds the RoPE tables.
    LayerContexts layerContexts(const ForwardContext& ctx, at::ScalarType) const { return {ctx}; }
};

// "model": embed_tokens, layers.<i> (Layer(spec, i, options)), norm (Norm(hidden, eps, options)),
// registered in that order; RoPE tables from spec for every forward.
template <class Layer, class Norm, class Hooks = PlainStackHooks>
class DecoderModel : public torch::nn::Module {
public:
    static constexpr const char* kModuleName = "model";  // its name under DecoderForCausalLM

    DecoderModel(const ModelSpec& spec, const at::TensorOptions& options) : m_hooks(spec), m_rope(spec) {
        m_embed = register_module("embed_tokens",
                                  std::make_shared<EmbeddingLayer>(spec.vocabSize, spec.hiddenSize, options));
        torch::nn::ModuleList layers;
        for (int64_t l = 0; l < spec.numLayers; ++l) {
            m_layers.push_back(std::make_shared<Layer>(spec, l, options));
            layers->push_back(m_layers.back());
        }
        register_module("layers", layers);
        m_norm = register_module("norm", std::make_shared<Norm>(spec.hiddenSize, spec.normEps, options));
    }

    // ids: [B, T] -> final hidden [B, T, C]; appends to `hidden` when non-null. Fills ctx's RoPE
    // tables ([B, T, rotaryDim]).
    at::Tensor forward(const at::Tensor& ids, ForwardContext& ctx, std::vector<at::Tensor>* hidden) {
        auto h = m_hooks.scaleEmbedding(m_embed->forward(ids));  // [B, T, C]
        std::tie(ctx.cos, ctx.sin) = m_rope.cosSin(ctx.positionIds, h.scalar_type());
        const auto contexts = m_hooks.layerContexts(ctx, h.scalar_type());
        for (auto& layer : m_layers) {
            if (hidden) hidden->push_back(h);
            const ForwardContext& c = contexts.forLayer(*layer);
            // See Gpt2Model::forward: the function owns what it reads, for checkpointed recomputation.
            h = c.runLayer([layer, c](const at::Tensor& x) { return layer->forward(x, c); }, h);
        }
        h = m_norm->forward(h);
        if (hidden) hidden->push_back(h);
        return h;
    }

    std::shared_ptr<EmbeddingLayer> embedTokens() const { return m_embed; }

private:
    Hooks m_hooks;
    RotaryEmbedding m_rope;
    std::shared_ptr<EmbeddingLayer> m_embed;
    std::vector<std::shared_ptr<Layer>> m_layers;
    std::shared_ptr<Norm> m_norm;
};

// lm_head [V, C]: a view of the embedding weight when spec ties them, else its own weight.
inline std::shared_ptr<LinearLayer> makeOutputHead(const ModelSpec& spec, at::Tensor& embedWeight,
                                                   const at::TensorOptions& options) {
    return spec.tieWordEmbeddings
               ? std::make_shared<LinearLayer>(embedWeight, spec.hiddenSize, spec.vocabSize)
               : std::make_shared<LinearLayer>(spec.hiddenSize, spec.vocabSize, false, false, options);
}

// Model (registered as Model::kModuleName, with embedTokens() and forward(ids, ctx, hidden)), then
// "lm_head". Logits are soft-capped when spec.finalLogitSoftcap > 0 (Gemma 2).
template <class Model>
class DecoderForCausalLM : public CausalLM {
public:
    DecoderForCausalLM(const ModelSpec& spec, const at::TensorOptions& options) : CausalLM(spec) {
        m_model = register_module(Model::kModuleName, std::make_shared<Model>(spec, options));
        m_lmHead = register_module("lm_head", makeOutputHead(spec, m_model->embedTokens()->weight(), options));
    }

    CausalLMOutput forward(const at::Tensor& inputIds, const at::Tensor& attentionMask = {},
                           const at::Tensor& positionIds = {}, KVCache* cache = nullptr,
                           bool outputHiddenStates = false) override {
        ForwardContext ctx = prepareForward(inputIds, attentionMask, positionIds, cache);
        CausalLMOutput out;
        auto h = m_model->forward(inputIds, ctx, outputHiddenStates ? &out.hiddenStates : nullptr);
        out.logits = m_lmHead->forward(h);  // [B, T, V]
        const double cap = m_spec.finalLogitSoftcap;
        if (cap > 0) out.logits = at::tanh(out.logits / cap) * cap;
        return out;
    }

    at::Tensor forwardHidden(const at::Tensor& inputIds, const at::Tensor& attentionMask = {},
                             const at::Tensor& positionIds = {}) override {
        ForwardContext ctx = prepareForward(inputIds, attentionMask, positionIds, nullptr);
        return m_model->forward(inputIds, ctx, nullptr);  // [B, T, C]
    }

    LinearLayer& outputHead() override { return *m_lmHead; }

private:
    std::shared_ptr<Model> m_model;
    std::shared_ptr<LinearLayer> m_lmHead;
};

// A family's parameters in registration order (the order of named_parameters()).
class ParameterList {
public:
    void add(std::string name, std::vector<int64_t> shape, std::string tiedTo = {});
    // nn.Linear `name`: weight [out, in], then bias [out] when `bias`.
    void linear(const std::string& name, int64_t in, int64_t out, bool bias);
    // Llama-style attention under `prefix` ("...self_attn."): q/k/v (qkvBias), o (outputBias), then
    // q_norm/k_norm [head_dim] when spec.qkNorm.
    void attention(const std::string& prefix, const ModelSpec& spec);
    std::vector<ParameterInfo> take() { return std::move(m_items); }

private:
    std::vector<ParameterInfo> m_items;
};

// DecoderForCausalLM<DecoderModel>'s parameters: model.embed_tokens.weight, each layer's
// (layerParameters(list, "model.layers.<i>.")), model.norm.weight (and .bias with normBias), then
// lm_head.weight, tied to the embedding when spec says so.
std::vector<ParameterInfo> decoderStackParameters(
    const ModelSpec& spec, bool normBias,
    const std::function<void(ParameterList& list, const std::string& prefix)>& layerParameters);

} // namespace lorastudio
