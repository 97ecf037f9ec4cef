// Gemma 2 / Gemma 3 forward, mirroring transformers' modeling_gemma2 and modeling_gemma3 (eager
// attention) as of 4.57. See gemma.h.
#include "model/gemma.h"

#include "common/error.h"
#include "common/json_file.h"
#include "model/config_keys.h"
#include "model/kv_cache.h"

#include <cmath>

namespace lorastudio {

GemmaDecoderLayer::GemmaDecoderLayer(const ModelSpec& spec, int64_t layerIndex, const at::TensorOptions& options)
    : m_sliding(spec.slidingLayer(layerIndex)) {
    auto norm = [&](const char* name) {
        return register_module(name, std::make_shared<GemmaRMSNorm>(spec.hiddenSize, spec.normEps, options));
    };
    AttentionScoring scoring;
    scoring.scoreDivisor = 1.0 / std::pow(spec.queryPreAttnScalar, -0.5);
    scoring.softcap = spec.attnLogitSoftcap;
    scoring.qkNormWeight = RmsNormWeight::OnePlusInFp32;
    m_attn = register_module("self_attn", std::make_shared<LlamaAttention>(spec, layerIndex, options, scoring));
    m_mlp = register_module("mlp", std::make_shared<LlamaMlp>(spec, options));
    m_inputNorm = norm("input_layernorm");
    m_postAttentionNorm = norm("post_attention_layernorm");
    m_preFeedforwardNorm = norm("pre_feedforward_layernorm");
    m_postFeedforwardNorm = norm("post_feedforward_layernorm");
}

at::Tensor GemmaDecoderLayer::forward(const at::Tensor& x, const ForwardContext& ctx) {
    auto h = x + m_postAttentionNorm->forward(m_attn->forward(m_inputNorm->forward(x), ctx));
    return h + m_postFeedforwardNorm->forward(m_mlp->forward(m_preFeedforwardNorm->forward(h)));
}

namespace {

// Gemma 3's sliding layers rotate with rope_local_base_freq and default RoPE (no scaling).
ModelSpec localRopeSpec(const ModelSpec& spec) {
    ModelSpec local = spec;
    if (spec.ropeLocalTheta > 0) {
        local.ropeTheta = spec.ropeLocalTheta;
        local.ropeScaling = RopeScaling{};
    }
    return local;
}

} // namespace

GemmaStackHooks::GemmaStackHooks(const ModelSpec& spec)
    : m_hidden(spec.hiddenSize), m_localRope(localRopeSpec(spec)) {}

at::Tensor GemmaStackHooks::scaleEmbedding(const at::Tensor& h) const {
    // sqrt(hidden) rounded to the compute dtype first, as transformers' normalizer / embed_scale.
    return h * at::scalar_tensor(std::sqrt(static_cast<double>(m_hidden)), at::kFloat).to(h.scalar_type());
}

GemmaStackHooks::LayerContexts GemmaStackHooks::layerContexts(const ForwardContext& ctx, at::ScalarType dtype) const {
    LayerContexts out{ctx, ctx};
    out.sliding.mask = ctx.slidingMask;
    std::tie(out.sliding.cos, out.sliding.sin) = m_localRope.cosSin(ctx.positionIds, dtype);
    return out;
}

namespace {

// A soft-capping value: absent -> the class default, null -> none (0), else positive.
double softcapKey(const nlohmann::json& j, const std::string& key, double absent, const std::string& where) {
    if (!j.contains(key)) return absent;
    const double v = optionalKey<double>(j, key, 0.0, where);
    if (v < 0) throwKeyError(where, key, "must be positive or null");
    return v;
}

// layer_types ("sliding_attention" / "full_attention") when given, else every pattern-th layer is
// full: (i + 1) % pattern != 0 slides (Gemma 2: pattern 2, Gemma 3: sliding_window_pattern, default 6).
void readLayerTypes(const nlohmann::json& j, ModelSpec& s, int64_t pattern, const std::string& where) {
    s.slidingLayers.assign(static_cast<std::size_t>(s.numLayers), false);
    if (j.contains("layer_types") && !j.at("layer_types").is_null()) {
        const auto& types = j.at("layer_types");
        if (!types.is_array() || static_cast<int64_t>(types.size()) != s.numLayers)
            throwKeyError(where, "layer_types", "must list one type per layer (" + std::to_string(s.numLayers) + ")");
        for (std::size_t i = 0; i < types.size(); ++i) {
            const std::string t = types.at(i).is_string() ? types.at(i).get<std::string>() : "";
            if (t != "sliding_attention" && t != "full_attention")
                throwKeyError(where, "layer_types", "entry " + std::to_string(i) + " is not sliding_attention or full_attention");
            s.slidingLayers[i] = t == "sliding_attention";
        }
        return;
    }
    if (pattern <= 0) throwKeyError(where, "sliding_window_pattern", "must be positive");
    for (int64_t i = 0; i < s.numLayers; ++i) s.slidingLayers[static_cast<std::size_t>(i)] = (i + 1) % pattern != 0;
}

// What Gemma2Config and Gemma3TextConfig share.
void readGemmaCommon(const nlohmann::json& j, ModelSpec& s, const std::string& where, int64_t defaultPositions) {
    readDecoderConfig(j, s, where, defaultPositions);
    if (!j.contains("head_dim") || j.at("head_dim").is_null()) s.headDim = 256;  // the classes' default
    // The Gemma classes read hidden_activation only (hidden_act is ignored).
    s.activation = parseActivation(optionalKey<std::string>(j, "hidden_activation", "gelu_pytorch_tanh", where),
                                   "hidden_activation", where);
    s.tieWordEmbeddings = optionalKey<bool>(j, "tie_word_embeddings", true, where);
    s.qkvBias = s.outputBias = optionalKey<bool>(j, "attention_bias", false, where);
    s.queryPreAttnScalar = optionalKey<double>(j, "query_pre_attn_scalar", 256.0, where);
    if (s.queryPreAttnScalar <= 0) throwKeyError(where, "query_pre_attn_scalar", "must be positive");
    s.slidingWindow = j.contains("sliding_window") ? optionalKey<int64_t>(j, "sliding_window", 0, where) : 4096;
    if (s.slidingWindow < 0) throwKeyError(where, "sliding_window", "must not be negative");
}

} // namespace

void readGemma2Config(const nlohmann::json& j, ModelSpec& s, const std::string& where) {
    readGemmaCommon(j, s, where, 8192);
    s.attnLogitSoftcap = softcapKey(j, "attn_logit_softcapping", 50.0, where);
    s.finalLogitSoftcap = softcapKey(j, "final_logit_softcapping", 30.0, where);
    readLayerTypes(j, s, 2, where);
}

void readGemma3Config(const nlohmann::json& j, ModelSpec& s, const std::string& where) {
    readGemmaCommon(j, s, where, 131072);
    if (!j.contains("rope_theta") || j.at("rope_theta").is_null()) s.ropeTheta = 1000000.0;
    s.ropeLocalTheta = optionalKey<double>(j, "rope_local_base_freq", 10000.0, where);
    s.qkNorm = true;
    // transformers 4.57 reads attn_logit_softcapping for Gemma 3 but never applies it: neither do we.
    s.finalLogitSoftcap = softcapKey(j, "final_logit_softcapping", 0.0, where);
    if (optionalKey<bool>(j, "use_bidirectional_attention", false, where))
        throw Error(where, "key 'use_bidirectional_attention' is true: an encoder (EmbeddingGemma), not a causal LM",
                    "use a Gemma 3 text model");
    readLayerTypes(j, s, optionalKey<int64_t>(j, "sliding_window_pattern", 6, where), where);
}

std::vector<ParameterInfo> gemmaParameters(const ModelSpec& s) {
    const int64_t C = s.hiddenSize, I = s.intermediateSize;
    return decoderStackParameters(s, false, [&](ParameterList& list, const std::string& p) {
        list.attention(p + "self_attn.", s);
        list.linear(p + "mlp.gate_proj", C, I, false);
        list.linear(p + "mlp.up_proj", C, I, false);
        list.linear(p + "mlp.down_proj", I, C, false);
        for (const char* norm : {"input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
                                 "post_feedforward_layernorm"})
            list.add(p + norm + ".weight", {C});
    });
}

std::shared_ptr<CausalLM> createGemma(const ModelSpec& spec, const at::TensorOptions& options) {
    return std::make_shared<GemmaForCausalLM>(spec, options);
}

} // namespace lorastudio
