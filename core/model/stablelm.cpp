// StableLM forward, mirroring transformers' modeling_stablelm (eager attention) as of 4.57. See
// stablelm.h.
#include "model/stablelm.h"

#include "common/error.h"
#include "common/json_file.h"
#include "model/config_keys.h"

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
    readPartialRotaryFactor(j, s, 0.25, where);
    if (s.ropeScaling.type == RopeType::LongRope)
        throw Error(where, "key 'rope_scaling': longrope is not a StableLM scaling",
                    "use rope_scaling null, linear or llama3");
}

std::vector<ParameterInfo> stableLmParameters(const ModelSpec& s) {
    const int64_t C = s.hiddenSize, I = s.intermediateSize;
    return decoderStackParameters(s, true, [&](ParameterList& list, const std::string& p) {
        list.linear(p + "self_attn.q_proj", C, s.qDim(), s.qkvBias);
        list.linear(p + "self_attn.k_proj", C, s.kvDim(), s.qkvBias);
        list.linear(p + "self_attn.v_proj", C, s.kvDim(), s.qkvBias);
        list.linear(p + "self_attn.o_proj", s.qDim(), C, false);
        list.linear(p + "mlp.gate_proj", C, I, false);
        list.linear(p + "mlp.up_proj", C, I, false);
        list.linear(p + "mlp.down_proj", I, C, false);
        for (const char* norm : {"input_layernorm", "post_attention_layernorm"}) {
            list.add(p + norm + ".weight", {C});
            list.add(p + norm + ".bias", {C});
        }
    });
}

std::shared_ptr<CausalLM> createStableLm(const ModelSpec& spec, const at::TensorOptions& options) {
    return std::make_shared<StableLmForCausalLM>(spec, options);
}

} // namespace lorastudio
