// Shared config.json readers. See config_keys.h.
#include "model/config_keys.h"

#include "common/error.h"
#include "common/json_file.h"

#include <cmath>

namespace lorastudio {

using nlohmann::json;

namespace {
int64_t checkedSize(int64_t v, const std::string& key, const std::string& where) {
    if (v <= 0) throwKeyError(where, key, "must be positive (got " + std::to_string(v) + ")");
    if (v > kMaxConfigDimension)
        throwKeyError(where, key, "is " + std::to_string(v) + "; the limit (kMaxConfigDimension) is " +
                                      std::to_string(kMaxConfigDimension));
    return v;
}
} // namespace

int64_t positiveKey(const json& j, const std::string& key, const std::string& where) {
    return checkedSize(requireKey<int64_t>(j, key, where), key, where);
}

int64_t optionalPositive(const json& j, const std::string& key, int64_t fallback, const std::string& where) {
    return checkedSize(optionalKey<int64_t>(j, key, fallback, where), key, where);
}

void checkSpecLimits(const ModelSpec& spec, const std::string& where) {
    if (spec.numLayers > kMaxLayers)
        throw Error(where, "the model has " + std::to_string(spec.numLayers) + " layers; the limit (kMaxLayers) is " +
                               std::to_string(kMaxLayers),
                    "the config is damaged or hostile; the largest real models have ~130 layers");
    // head_dim may be given apart from hidden_size: the attention widths are sizes too (each factor is
    // at most kMaxConfigDimension, so the products cannot overflow).
    for (const auto& [what, width] : {std::pair<const char*, int64_t>{"num_attention_heads x head_dim", spec.qDim()},
                                      {"num_key_value_heads x head_dim", spec.kvDim()}})
        if (width > kMaxConfigDimension)
            throw Error(where, std::string("the attention width ") + what + " is " + std::to_string(width) +
                                   "; the limit (kMaxConfigDimension) is " + std::to_string(kMaxConfigDimension),
                        "the config is damaged or hostile");
}

Activation parseActivation(const std::string& name, const std::string& key, const std::string& where) {
    if (name == "silu" || name == "swish") return Activation::Silu;
    if (name == "gelu") return Activation::Gelu;
    if (name == "gelu_new") return Activation::GeluNew;
    if (name == "gelu_pytorch_tanh") return Activation::GeluTanh;
    if (name == "relu") return Activation::Relu;
    throw Error(where, "key '" + key + "': unsupported activation '" + name + "'",
                "supported: silu, gelu, gelu_new, gelu_pytorch_tanh, relu");
}

namespace {

std::vector<double> factorList(const json& scaling, const std::string& key, const std::string& where) {
    const json& v = scaling.contains(key) ? scaling.at(key) : json();
    if (!v.is_array() || v.empty()) throwKeyError(where, key, "must be a non-empty list of numbers");
    std::vector<double> out;
    for (const auto& x : v) {
        if (!x.is_number() || x.get<double>() <= 0) throwKeyError(where, key, "must hold positive numbers");
        out.push_back(x.get<double>());
    }
    return out;
}

// transformers' _compute_longrope_parameters: the context extension factor is max_position_embeddings
// / original_max_position_embeddings when the config has the latter (else rope_scaling's factor); the
// attention factor, unless given, sqrt(1 + ln(factor) / ln(original)) (1 when factor <= 1).
void readLongRope(const json& j, const json& scaling, ModelSpec& s, const std::string& where, const std::string& sub) {
    RopeScaling& r = s.ropeScaling;
    r.type = RopeType::LongRope;
    r.shortFactor = factorList(scaling, "short_factor", sub);
    r.longFactor = factorList(scaling, "long_factor", sub);
    r.factor = optionalKey<double>(scaling, "factor", 1.0, sub);
    if (j.contains("original_max_position_embeddings") && !j.at("original_max_position_embeddings").is_null()) {
        r.originalMaxPositions = requireKey<int64_t>(j, "original_max_position_embeddings", where);
        if (r.originalMaxPositions <= 0) throwKeyError(where, "original_max_position_embeddings", "must be positive");
        r.factor = static_cast<double>(s.maxPositions) / static_cast<double>(r.originalMaxPositions);
    } else {
        r.originalMaxPositions = s.maxPositions;
    }
    const double given = optionalKey<double>(scaling, "attention_factor", 0.0, sub);
    r.attentionFactor = given > 0 ? given
                        : r.factor <= 1.0
                            ? 1.0
                            : std::sqrt(1.0 + std::log(r.factor) / std::log(static_cast<double>(r.originalMaxPositions)));
}

} // namespace

void readRopeConfig(const json& j, ModelSpec& s, const std::string& where) {
    s.ropeTheta = optionalKey<double>(j, "rope_theta", 10000.0, where);
    const json* scaling = nullptr;
    std::string key = "rope_scaling";
    if (j.contains("rope_scaling") && !j.at("rope_scaling").is_null()) {
        scaling = &j.at("rope_scaling");
    } else if (j.contains("rope_parameters") && !j.at("rope_parameters").is_null()) {
        scaling = &j.at("rope_parameters");
        key = "rope_parameters";
    }
    if (!scaling) return;
    if (!scaling->is_object()) throwKeyError(where, key, "must be an object or null");
    const std::string sub = where + " (" + key + ")";
    if (scaling->contains("rope_theta")) s.ropeTheta = requireKey<double>(*scaling, "rope_theta", sub);
    std::string type = optionalKey<std::string>(*scaling, "rope_type", "", sub);
    if (type.empty()) type = optionalKey<std::string>(*scaling, "type", "", sub);
    if (type.empty()) throwKeyError(sub, "rope_type", "missing required key (or 'type')");
    RopeScaling& r = s.ropeScaling;
    if (type == "default") {
        r.type = RopeType::Default;
    } else if (type == "linear") {
        r.type = RopeType::Linear;
        r.factor = requireKey<double>(*scaling, "factor", sub);
    } else if (type == "llama3") {
        r.type = RopeType::Llama3;
        r.factor = requireKey<double>(*scaling, "factor", sub);
        r.lowFreqFactor = requireKey<double>(*scaling, "low_freq_factor", sub);
        r.highFreqFactor = requireKey<double>(*scaling, "high_freq_factor", sub);
        r.originalMaxPositions = requireKey<int64_t>(*scaling, "original_max_position_embeddings", sub);
        if (r.highFreqFactor <= r.lowFreqFactor)
            throwKeyError(sub, "high_freq_factor", "must be greater than low_freq_factor");
    } else if (type == "longrope") {
        readLongRope(j, *scaling, s, where, sub);
    } else {
        throw Error(where, "key '" + key + "': unsupported rope type '" + type + "'",
                    "supported: default, linear, llama3, longrope");
    }
    if (r.factor <= 0) throwKeyError(sub, "factor", "must be positive");
}

int64_t readPartialRotaryFactor(const json& j, ModelSpec& s, double fallback, const std::string& where) {
    s.partialRotaryFactor = optionalKey<double>(j, "partial_rotary_factor", fallback, where);
    const int64_t rotary = s.rotaryDim();
    if (!(s.partialRotaryFactor > 0 && s.partialRotaryFactor <= 1) || rotary < 2 || rotary % 2 != 0)
        throwKeyError(where, "partial_rotary_factor", "must give an even number of rotary dims within head_dim");
    return rotary;
}

void readDecoderConfig(const json& j, ModelSpec& s, const std::string& where, int64_t defaultPositions) {
    s.vocabSize = positiveKey(j, "vocab_size", where);
    s.hiddenSize = positiveKey(j, "hidden_size", where);
    s.intermediateSize = positiveKey(j, "intermediate_size", where);
    s.numLayers = positiveKey(j, "num_hidden_layers", where);
    s.numHeads = positiveKey(j, "num_attention_heads", where);
    s.numKvHeads = optionalPositive(j, "num_key_value_heads", s.numHeads, where);
    if (j.contains("head_dim") && !j.at("head_dim").is_null()) {
        s.headDim = positiveKey(j, "head_dim", where);
    } else {
        if (s.hiddenSize % s.numHeads != 0)
            throw Error(where, "hidden_size (" + std::to_string(s.hiddenSize) +
                                   ") is not divisible by num_attention_heads (" + std::to_string(s.numHeads) + ")",
                        "set 'head_dim' explicitly");
        s.headDim = s.hiddenSize / s.numHeads;
    }
    if (s.numHeads % s.numKvHeads != 0)
        throw Error(where, "num_attention_heads (" + std::to_string(s.numHeads) +
                               ") is not a multiple of num_key_value_heads (" + std::to_string(s.numKvHeads) + ")");
    if (s.headDim % 2 != 0) throw Error(where, "head_dim must be even for rotary embeddings");
    s.maxPositions = optionalPositive(j, "max_position_embeddings", defaultPositions, where);
    s.normEps = optionalKey<double>(j, "rms_norm_eps", 1e-6, where);
    s.activation = parseActivation(optionalKey<std::string>(j, "hidden_act", "silu", where), "hidden_act", where);
    s.tieWordEmbeddings = optionalKey<bool>(j, "tie_word_embeddings", false, where);
    readRopeConfig(j, s, where);
}

} // namespace lorastudio
