// StableLM forward, mirroring transformers' modeling_stablelm (eager attention) as of 4.57. See
// stablelm.h.
#include "model/stablelm.h"

#include "common/error.h"
#include "common/json_file.h"
#include "model/config_keys.h"

#include <torch/nn/modules/container/modulelist.h>

namespace lorastudio {

StableLmDecoderLayer::StableLmDecoderLayer(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options) {
    m_attn = register_module("self_attn", std::make_shared<LlamaAttention>(spec, layerIndex, options));
    m_mlp = register_module("mlp", std::make_shared<LlamaMlp>(spec, options));
    m_inputNorm = register_module("input_layernorm",
                                  std::make_shared<LayerNormLayer>(spec.hiddenSize, spec.normEps, options));
    m_postAttentionNorm = register_module("post_attention_layernorm",
                                          std::make_shared<LayerNormLayer>(spec.hiddenSize, spec.normEps, options));
}

at::Tensor StableLmDecoderLayer::forward(const at::Tensor& x, const ForwardContext& ctx) {
    auto h = x + m_attn->forward(m_inputNorm->forward(x), ctx);  // hidden dropout: 0 in eval
    return h + m_mlp->forward(m_postAttentionNorm->forward(h));
}

StableLmModel::StableLmModel(const ModelSpec& spec, const at::TensorOptions& options) : m_rope(spec) {
    m_embed = register_module("embed_tokens",
                              std::make_shared<EmbeddingLayer>(spec.vocabSize, spec.hiddenSize, options));
    torch::nn::ModuleList layers;
    for (int64_t l = 0; l < spec.numLayers; ++l) {
        m_layers.push_back(std::make_shared<StableLmDecoderLayer>(spec, l, options));
        layers->push_back(m_layers.back());
    }
    register_module("layers", layers);
    m_norm = register_module("norm", std::make_shared<LayerNormLayer>(spec.hiddenSize, spec.normEps, options));
}

at::Tensor StableLmModel::forward(const at::Tensor& ids, ForwardContext& ctx, std::vector<at::Tensor>* hidden) {
    auto h = m_embed->forward(ids);  // [B, T, C]
    std::tie(ctx.cos, ctx.sin) = m_rope.cosSin(ctx.positionIds, h.scalar_type());  // [B, T, rotaryDim]
    for (auto& layer : m_layers) {
        if (hidden) hidden->push_back(h);
        // See Gpt2Model::forward: the function owns what it reads, for checkpointed recomputation.
        h = ctx.runLayer([layer, ctx](const at::Tensor& x) { return layer->forward(x, ctx); }, h);
    }
    h = m_norm->forward(h);
    if (hidden) hidden->push_back(h);
    return h;
}

StableLmForCausalLM::StableLmForCausalLM(const ModelSpec& spec, const at::TensorOptions& options) : CausalLM(spec) {
    m_model = register_module("model", std::make_shared<StableLmModel>(spec, options));
    m_lmHead = spec.tieWordEmbeddings
                   ? std::make_shared<LinearLayer>(m_model->embedTokens()->weight(), spec.hiddenSize, spec.vocabSize)
                   : std::make_shared<LinearLayer>(spec.hiddenSize, spec.vocabSize, false, false, options);
    register_module("lm_head", m_lmHead);
}

CausalLMOutput StableLmForCausalLM::forward(const at::Tensor& inputIds, const at::Tensor& attentionMask,
                                            const at::Tensor& positionIds, KVCache* cache, bool outputHiddenStates) {
    ForwardContext ctx = prepareForward(inputIds, attentionMask, positionIds, cache);
    CausalLMOutput out;
    auto h = m_model->forward(inputIds, ctx, outputHiddenStates ? &out.hiddenStates : nullptr);
    out.logits = m_lmHead->forward(h);  // [B, T, V]
    return out;
}

at::Tensor StableLmForCausalLM::forwardHidden(const at::Tensor& inputIds, const at::Tensor& attentionMask,
                                              const at::Tensor& positionIds) {
    ForwardContext ctx = prepareForward(inputIds, attentionMask, positionIds, nullptr);
    return m_model->forward(inputIds, ctx, nullptr);  // [B, T, C]
}

void readStableLmConfig(const nlohmann::json& config, ModelSpec& s, const std::string& where) {
    // StableLmConfig's defaults where config.json is silent (its num_key_value_heads defaults to 32,
    // not to num_attention_heads).
    nlohmann::json j = config;
    if (!j.contains("num_key_value_heads") || j.at("num_key_value_heads").is_null()) j["num_key_value_heads"] = 32;
    for (const char* refused : {"qk_layernorm", "use_parallel_residual"})
        if (optionalKey<bool>(j, refused, false, where))
            throw Error(where, std::string("key '") + refused +
                                   "' is true (StableLM 2 12B's per-head q/k LayerNorm and parallel residual): "
                                   "not supported for StableLmForCausalLM yet",
                        "StableLM 2 1.6B and StableLM-3B-4E1T have it false; use one of those");
    readDecoderConfig(j, s, where, 4096);
    s.normEps = optionalKey<double>(j, "layer_norm_eps", 1e-5, where);
    s.qkvBias = optionalKey<bool>(j, "use_qkv_bias", false, where);
    s.partialRotaryFactor = optionalKey<double>(j, "partial_rotary_factor", 0.25, where);
    const int64_t rotary = s.rotaryDim();
    if (!(s.partialRotaryFactor > 0 && s.partialRotaryFactor <= 1) || rotary < 2 || rotary % 2 != 0)
        throwKeyError(where, "partial_rotary_factor", "must give an even number of rotary dims within head_dim");
    if (s.ropeScaling.type == RopeType::LongRope)
        throw Error(where, "key 'rope_scaling': longrope is not a StableLM scaling",
                    "use rope_scaling null, linear or llama3");
}

std::vector<ParameterInfo> stableLmParameters(const ModelSpec& s) {
    std::vector<ParameterInfo> out;
    auto add = [&out](std::string name, std::vector<int64_t> shape, std::string tiedTo = {}) {
        out.push_back({std::move(name), std::move(shape), std::move(tiedTo)});
    };
    const int64_t C = s.hiddenSize, V = s.vocabSize, I = s.intermediateSize;
    add("model.embed_tokens.weight", {V, C});
    for (int64_t l = 0; l < s.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        auto linear = [&](const std::string& name, int64_t in, int64_t outF, bool bias) {
            add(p + name + ".weight", {outF, in});  // nn.Linear: [out, in]
            if (bias) add(p + name + ".bias", {outF});
        };
        linear("self_attn.q_proj", C, s.qDim(), s.qkvBias);
        linear("self_attn.k_proj", C, s.kvDim(), s.qkvBias);
        linear("self_attn.v_proj", C, s.kvDim(), s.qkvBias);
        linear("self_attn.o_proj", s.qDim(), C, false);
        linear("mlp.gate_proj", C, I, false);
        linear("mlp.up_proj", C, I, false);
        linear("mlp.down_proj", I, C, false);
        for (const char* norm : {"input_layernorm", "post_attention_layernorm"}) {
            add(p + norm + ".weight", {C});
            add(p + norm + ".bias", {C});
        }
    }
    add("model.norm.weight", {C});
    add("model.norm.bias", {C});
    add("lm_head.weight", {V, C}, s.tieWordEmbeddings ? "model.embed_tokens.weight" : "");
    return out;
}

std::shared_ptr<CausalLM> createStableLm(const ModelSpec& spec, const at::TensorOptions& options) {
    return std::make_shared<StableLmForCausalLM>(spec, options);
}

} // namespace lorastudio
