// Phi-3 forward, mirroring transformers' modeling_phi3 (eager attention) as of 4.57. See phi3.h.
#include "model/phi3.h"

#include "common/error.h"
#include "common/json_file.h"
#include "model/config_keys.h"
#include "model/kv_cache.h"

#include <cmath>

namespace lorastudio {

Phi3Attention::Phi3Attention(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options)
    : m_layer(layerIndex), m_heads(spec.numHeads), m_kvHeads(spec.numKvHeads), m_headDim(spec.headDim) {
    // transformers registers o_proj before qkv_proj (the order of named_parameters()).
    m_o = register_module("o_proj", std::make_shared<LinearLayer>(spec.qDim(), spec.hiddenSize, false, false, options));
    m_qkv = register_module("qkv_proj", std::make_shared<LinearLayer>(spec.hiddenSize, spec.qDim() + 2 * spec.kvDim(),
                                                                      false, false, options));
}

at::Tensor Phi3Attention::forward(const at::Tensor& x, const ForwardContext& ctx) {
    const int64_t B = x.size(0), T = x.size(1);
    const int64_t qDim = m_heads * m_headDim, kvDim = m_kvHeads * m_headDim;
    auto qkv = m_qkv->forward(x);  // [B, T, qDim + 2 kvDim]: q | k | v
    auto q = qkv.narrow(-1, 0, qDim).view({B, T, m_heads, m_headDim}).transpose(1, 2);              // [B, H, T, D]
    auto k = qkv.narrow(-1, qDim, kvDim).view({B, T, m_kvHeads, m_headDim}).transpose(1, 2);        // [B, Hkv, T, D]
    auto v = qkv.narrow(-1, qDim + kvDim, kvDim).view({B, T, m_kvHeads, m_headDim}).transpose(1, 2);
    std::tie(q, k) = applyRotary(q, k, ctx.cos, ctx.sin);
    if (ctx.cache) std::tie(k, v) = ctx.cache->append(m_layer, k, v);  // [B, Hkv, S, D]
    auto out = scaledDotProductAttention(q, k, v, ctx.mask, std::sqrt(static_cast<double>(m_headDim)), ctx.backend);
    return m_o->forward(out.transpose(1, 2).reshape({B, T, qDim}));
}

Phi3Mlp::Phi3Mlp(const ModelSpec& spec, const at::TensorOptions& options)
    : m_act(spec.activation), m_intermediate(spec.intermediateSize) {
    const int64_t C = spec.hiddenSize, I = spec.intermediateSize;
    m_gateUp = register_module("gate_up_proj", std::make_shared<LinearLayer>(C, 2 * I, false, false, options));
    m_down = register_module("down_proj", std::make_shared<LinearLayer>(I, C, false, false, options));
}

at::Tensor Phi3Mlp::forward(const at::Tensor& x) {
    auto gateUp = m_gateUp->forward(x);  // [B, T, 2I]: gate | up
    auto gate = gateUp.narrow(-1, 0, m_intermediate);
    auto up = gateUp.narrow(-1, m_intermediate, m_intermediate);
    return m_down->forward(up * applyActivation(m_act, gate));
}

Phi3DecoderLayer::Phi3DecoderLayer(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options) {
    m_attn = register_module("self_attn", std::make_shared<Phi3Attention>(spec, layerIndex, options));
    m_mlp = register_module("mlp", std::make_shared<Phi3Mlp>(spec, options));
    m_inputNorm = register_module("input_layernorm",
                                  std::make_shared<RMSNormLayer>(spec.hiddenSize, spec.normEps, options));
    m_postAttentionNorm = register_module("post_attention_layernorm",
                                          std::make_shared<RMSNormLayer>(spec.hiddenSize, spec.normEps, options));
}

at::Tensor Phi3DecoderLayer::forward(const at::Tensor& x, const ForwardContext& ctx) {
    auto h = x + m_attn->forward(m_inputNorm->forward(x), ctx);  // residual dropouts: 0 in eval
    return h + m_mlp->forward(m_postAttentionNorm->forward(h));
}

bool Phi3ForCausalLM::dropsCacheAt(int64_t cachedLength, int64_t totalLength) const {
    const RopeScaling& r = m_spec.ropeScaling;
    return r.type == RopeType::LongRope && totalLength >= r.originalMaxPositions + 1 &&
           cachedLength <= r.originalMaxPositions;
}

void readPhi3Config(const nlohmann::json& config, ModelSpec& s, const std::string& where) {
    // Phi3Config's defaults where config.json is silent, and its legacy rope names ("su", "yarn"
    // are LongRoPE) before the shared readers see the keys.
    nlohmann::json j = config;
    if (!j.contains("original_max_position_embeddings") || j.at("original_max_position_embeddings").is_null())
        j["original_max_position_embeddings"] = 4096;
    nlohmann::json* scaling = j.contains("rope_scaling") && j.at("rope_scaling").is_object() ? &j["rope_scaling"] : nullptr;
    if (scaling && scaling->contains("type") && scaling->at("type").is_string()) {
        const std::string type = scaling->at("type").get<std::string>();
        if (type == "su" || type == "yarn") (*scaling)["type"] = "longrope";
    }
    readDecoderConfig(j, s, where, 4096);
    s.normEps = optionalKey<double>(j, "rms_norm_eps", 1e-5, where);
    s.slidingWindow = optionalKey<int64_t>(j, "sliding_window", 0, where);
    if (s.slidingWindow < 0) throwKeyError(where, "sliding_window", "must not be negative");
    const int64_t rotary = readPartialRotaryFactor(j, s, 1.0, where);
    const RopeScaling& r = s.ropeScaling;
    if (scaling && r.type != RopeType::LongRope)
        throw Error(where, std::string("key 'rope_scaling': Phi3ForCausalLM takes longrope (su) scaling only, not ") +
                               ropeTypeName(r.type),
                    "use rope_scaling null or a longrope {type, short_factor, long_factor}");
    if (r.type == RopeType::LongRope) {
        const auto half = static_cast<std::size_t>(rotary / 2);
        if (r.shortFactor.size() != half || r.longFactor.size() != half)
            throwKeyError(where + " (rope_scaling)", "short_factor",
                          "short_factor and long_factor need " + std::to_string(half) + " values (rotary dims / 2)");
    }
}

std::vector<ParameterInfo> phi3Parameters(const ModelSpec& s) {
    const int64_t C = s.hiddenSize, I = s.intermediateSize;
    return decoderStackParameters(s, false, [&](ParameterList& list, const std::string& p) {
        list.linear(p + "self_attn.o_proj", s.qDim(), C, false);  // registered before qkv_proj
        list.linear(p + "self_attn.qkv_proj", C, s.qDim() + 2 * s.kvDim(), false);
        list.linear(p + "mlp.gate_up_proj", C, 2 * I, false);
        list.linear(p + "mlp.down_proj", I, C, false);
        list.add(p + "input_layernorm.weight", {C});
        list.add(p + "post_attention_layernorm.weight", {C});
    });
}

std::shared_ptr<CausalLM> createPhi3(const ModelSpec& spec, const at::TensorOptions& options) {
    return std::make_shared<Phi3ForCausalLM>(spec, options);
}

} // namespace lorastudio
