// Phi-3 forward, mirroring transformers' modeling_phi3 (eager attention) as of 4.57. See phi3.h.
#include "model/phi3.h"

#include "common/error.h"
#include "common/json_file.h"
#include "model/config_keys.h"
#include "model/kv_cache.h"

#include <torch/nn/modules/container/modulelist.h>

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

Phi3Model::Phi3Model(const ModelSpec& spec, const at::TensorOptions& options) : m_rope(spec) {
    m_embed = register_module("embed_tokens",
                              std::make_shared<EmbeddingLayer>(spec.vocabSize, spec.hiddenSize, options));
    torch::nn::ModuleList layers;
    for (int64_t l = 0; l < spec.numLayers; ++l) {
        m_layers.push_back(std::make_shared<Phi3DecoderLayer>(spec, l, options));
        layers->push_back(m_layers.back());
    }
    register_module("layers", layers);
    m_norm = register_module("norm", std::make_shared<RMSNormLayer>(spec.hiddenSize, spec.normEps, options));
}

at::Tensor Phi3Model::forward(const at::Tensor& ids, ForwardContext& ctx, std::vector<at::Tensor>* hidden) {
    auto h = m_embed->forward(ids);  // [B, T, C]
    std::tie(ctx.cos, ctx.sin) = m_rope.cosSin(ctx.positionIds, h.scalar_type());
    for (auto& layer : m_layers) {
        if (hidden) hidden->push_back(h);
        // See Gpt2Model::forward: the function owns what it reads, for checkpointed recomputation.
        h = ctx.runLayer([layer, ctx](const at::Tensor& x) { return layer->forward(x, ctx); }, h);
    }
    h = m_norm->forward(h);
    if (hidden) hidden->push_back(h);
    return h;
}

Phi3ForCausalLM::Phi3ForCausalLM(const ModelSpec& spec, const at::TensorOptions& options) : CausalLM(spec) {
    m_model = register_module("model", std::make_shared<Phi3Model>(spec, options));
    m_lmHead = spec.tieWordEmbeddings
                   ? std::make_shared<LinearLayer>(m_model->embedTokens()->weight(), spec.hiddenSize, spec.vocabSize)
                   : std::make_shared<LinearLayer>(spec.hiddenSize, spec.vocabSize, false, false, options);
    register_module("lm_head", m_lmHead);
}

CausalLMOutput Phi3ForCausalLM::forward(const at::Tensor& inputIds, const at::Tensor& attentionMask,
                                        const at::Tensor& positionIds, KVCache* cache, bool outputHiddenStates) {
    ForwardContext ctx = prepareForward(inputIds, attentionMask, positionIds, cache);
    CausalLMOutput out;
    auto h = m_model->forward(inputIds, ctx, outputHiddenStates ? &out.hiddenStates : nullptr);
    out.logits = m_lmHead->forward(h);  // [B, T, V]
    return out;
}

at::Tensor Phi3ForCausalLM::forwardHidden(const at::Tensor& inputIds, const at::Tensor& attentionMask,
                                          const at::Tensor& positionIds) {
    ForwardContext ctx = prepareForward(inputIds, attentionMask, positionIds, nullptr);
    return m_model->forward(inputIds, ctx, nullptr);  // [B, T, C]
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
    s.partialRotaryFactor = optionalKey<double>(j, "partial_rotary_factor", 1.0, where);
    const int64_t rotary = s.rotaryDim();
    if (!(s.partialRotaryFactor > 0 && s.partialRotaryFactor <= 1) || rotary < 2 || rotary % 2 != 0)
        throwKeyError(where, "partial_rotary_factor", "must give an even number of rotary dims within head_dim");
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
    std::vector<ParameterInfo> out;
    auto add = [&out](std::string name, std::vector<int64_t> shape, std::string tiedTo = {}) {
        out.push_back({std::move(name), std::move(shape), std::move(tiedTo)});
    };
    const int64_t C = s.hiddenSize, V = s.vocabSize, I = s.intermediateSize;
    add("model.embed_tokens.weight", {V, C});
    for (int64_t l = 0; l < s.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        add(p + "self_attn.o_proj.weight", {C, s.qDim()});  // nn.Linear: [out, in]
        add(p + "self_attn.qkv_proj.weight", {s.qDim() + 2 * s.kvDim(), C});
        add(p + "mlp.gate_up_proj.weight", {2 * I, C});
        add(p + "mlp.down_proj.weight", {C, I});
        add(p + "input_layernorm.weight", {C});
        add(p + "post_attention_layernorm.weight", {C});
    }
    add("model.norm.weight", {C});
    add("lm_head.weight", {V, C}, s.tieWordEmbeddings ? "model.embed_tokens.weight" : "");
    return out;
}

std::shared_ptr<CausalLM> createPhi3(const ModelSpec& spec, const at::TensorOptions& options) {
    return std::make_shared<Phi3ForCausalLM>(spec, options);
}

} // namespace lorastudio
