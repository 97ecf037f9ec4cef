// config.json -> ModelSpec, following the defaults of transformers' configuration classes, and the
// list of expected tensors derived from a spec alone.
#include "model/model_spec.h"

#include "common/error.h"
#include "common/json_file.h"

#include <sstream>

namespace lorastudio {

using nlohmann::json;

const char* architectureName(Architecture a) {
    switch (a) {
    case Architecture::Gpt2: return "GPT2LMHeadModel";
    case Architecture::Llama: return "LlamaForCausalLM";
    case Architecture::Mistral: return "MistralForCausalLM";
    case Architecture::Qwen2: return "Qwen2ForCausalLM";
    case Architecture::Qwen3: return "Qwen3ForCausalLM";
    }
    return "?";
}

std::vector<std::string> supportedArchitectures() {
    return {"GPT2LMHeadModel", "LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM",
            "Qwen3ForCausalLM"};
}

const char* activationName(Activation a) {
    switch (a) {
    case Activation::Silu: return "silu";
    case Activation::Gelu: return "gelu";
    case Activation::GeluNew: return "gelu_new";
    case Activation::GeluTanh: return "gelu_pytorch_tanh";
    case Activation::Relu: return "relu";
    }
    return "?";
}

const char* ropeTypeName(RopeType t) {
    switch (t) {
    case RopeType::Default: return "default";
    case RopeType::Linear: return "linear";
    case RopeType::Llama3: return "llama3";
    }
    return "?";
}

std::string shapeString(const std::vector<int64_t>& shape) {
    std::ostringstream s;
    s << '[';
    for (std::size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
    s << ']';
    return s.str();
}

namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
    return s;
}

bool architectureFromName(const std::string& name, Architecture& out) {
    static const std::pair<const char*, Architecture> table[] = {
        {"GPT2LMHeadModel", Architecture::Gpt2},     {"LlamaForCausalLM", Architecture::Llama},
        {"MistralForCausalLM", Architecture::Mistral}, {"Qwen2ForCausalLM", Architecture::Qwen2},
        {"Qwen3ForCausalLM", Architecture::Qwen3}};
    for (const auto& [n, a] : table)
        if (name == n) return out = a, true;
    return false;
}

bool architectureFromModelType(const std::string& type, Architecture& out) {
    static const std::pair<const char*, Architecture> table[] = {
        {"gpt2", Architecture::Gpt2},   {"llama", Architecture::Llama}, {"mistral", Architecture::Mistral},
        {"qwen2", Architecture::Qwen2}, {"qwen3", Architecture::Qwen3}};
    for (const auto& [n, a] : table)
        if (type == n) return out = a, true;
    return false;
}

Architecture resolveArchitecture(const json& j, const std::string& where) {
    Architecture a{};
    const std::string hint = "this build supports " + joined(supportedArchitectures());
    if (j.contains("architectures") && !j.at("architectures").is_null()) {
        const json& list = j.at("architectures");
        if (!list.is_array() || list.empty() || !list.at(0).is_string())
            throwKeyError(where, "architectures", "must be a non-empty list of class names");
        const std::string name = list.at(0).get<std::string>();
        if (!architectureFromName(name, a))
            throw Error(where, "unknown architecture '" + name + "' (key 'architectures')", hint);
        return a;
    }
    // Configs written by hand or by older tools may only carry model_type.
    const std::string type = optionalKey<std::string>(j, "model_type", "", where);
    if (type.empty()) throwKeyError(where, "architectures", "missing required key (and no 'model_type')");
    if (!architectureFromModelType(type, a))
        throw Error(where, "unknown model_type '" + type + "' (no 'architectures' key)", hint);
    return a;
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

int64_t positiveKey(const json& j, const std::string& key, const std::string& where) {
    const int64_t v = requireKey<int64_t>(j, key, where);
    if (v <= 0) throwKeyError(where, key, "must be positive (got " + std::to_string(v) + ")");
    return v;
}

int64_t optionalPositive(const json& j, const std::string& key, int64_t fallback, const std::string& where) {
    const int64_t v = optionalKey<int64_t>(j, key, fallback, where);
    if (v <= 0) throwKeyError(where, key, "must be positive (got " + std::to_string(v) + ")");
    return v;
}

// bos/pad: int or null; eos: int, list of ints, or null.
void parseSpecialTokens(const json& j, ModelSpec& s, const std::string& where) {
    s.bosTokenId = optionalKey<int64_t>(j, "bos_token_id", s.bosTokenId, where);
    s.padTokenId = optionalKey<int64_t>(j, "pad_token_id", s.padTokenId, where);
    if (j.contains("eos_token_id") && !j.at("eos_token_id").is_null()) {
        const json& e = j.at("eos_token_id");
        if (e.is_number_integer()) {
            s.eosTokenIds = {e.get<int64_t>()};
        } else if (e.is_array()) {
            s.eosTokenIds.clear();
            for (const auto& v : e) {
                if (!v.is_number_integer()) throwKeyError(where, "eos_token_id", "must hold integers");
                s.eosTokenIds.push_back(v.get<int64_t>());
            }
        } else {
            throwKeyError(where, "eos_token_id", "has the wrong type (" + jsonTypeName(e) + ")");
        }
    }
}

// rope_scaling (transformers <= 4.x) or rope_parameters (5.x); the type under "rope_type" or "type".
void parseRope(const json& j, ModelSpec& s, const std::string& where) {
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
    } else {
        throw Error(where, "key '" + key + "': unsupported rope type '" + type + "'",
                    "supported: default, linear, llama3");
    }
    if (r.factor <= 0) throwKeyError(sub, "factor", "must be positive");
}

void parseGpt2(const json& j, ModelSpec& s, const std::string& where) {
    s.vocabSize = positiveKey(j, "vocab_size", where);
    s.hiddenSize = positiveKey(j, "n_embd", where);
    s.numLayers = positiveKey(j, "n_layer", where);
    s.numHeads = positiveKey(j, "n_head", where);
    s.maxPositions = optionalPositive(j, "n_positions", 1024, where);
    s.intermediateSize = optionalPositive(j, "n_inner", 4 * s.hiddenSize, where);
    s.normEps = optionalKey<double>(j, "layer_norm_epsilon", 1e-5, where);
    s.activation = parseActivation(optionalKey<std::string>(j, "activation_function", "gelu_new", where),
                                   "activation_function", where);
    s.tieWordEmbeddings = optionalKey<bool>(j, "tie_word_embeddings", true, where);
    s.scaleAttnWeights = optionalKey<bool>(j, "scale_attn_weights", true, where);
    s.scaleAttnByInverseLayerIdx = optionalKey<bool>(j, "scale_attn_by_inverse_layer_idx", false, where);
    if (s.hiddenSize % s.numHeads != 0)
        throw Error(where, "n_embd (" + std::to_string(s.hiddenSize) + ") is not divisible by n_head (" +
                               std::to_string(s.numHeads) + ")");
    s.numKvHeads = s.numHeads;
    s.headDim = s.hiddenSize / s.numHeads;
    s.qkvBias = s.outputBias = s.mlpBias = true;
    // GPT2Config's defaults (50256) only make sense for the real GPT-2 vocabulary.
    if (s.vocabSize > 50256) {
        s.bosTokenId = 50256;
        s.eosTokenIds = {50256};
    }
}

void parseLlamaFamily(const json& j, ModelSpec& s, const std::string& where) {
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
    const bool isMistral = s.architecture == Architecture::Mistral;
    const bool isQwen = s.architecture == Architecture::Qwen2 || s.architecture == Architecture::Qwen3;
    const int64_t defaultPositions = s.architecture == Architecture::Llama ? 2048 : isMistral ? 4096 * 32 : 32768;
    s.maxPositions = optionalPositive(j, "max_position_embeddings", defaultPositions, where);
    s.normEps = optionalKey<double>(j, "rms_norm_eps", 1e-6, where);
    s.activation = parseActivation(optionalKey<std::string>(j, "hidden_act", "silu", where), "hidden_act", where);
    s.tieWordEmbeddings = optionalKey<bool>(j, "tie_word_embeddings", false, where);
    parseRope(j, s, where);

    switch (s.architecture) {
    case Architecture::Llama:
        s.qkvBias = s.outputBias = optionalKey<bool>(j, "attention_bias", false, where);
        s.mlpBias = optionalKey<bool>(j, "mlp_bias", false, where);
        break;
    case Architecture::Mistral:
        s.slidingWindow = optionalKey<int64_t>(j, "sliding_window", 0, where);
        break;
    case Architecture::Qwen2:
        s.qkvBias = true;  // Qwen2Attention: q/k/v with bias, o_proj without
        break;
    case Architecture::Qwen3:
        s.qkvBias = s.outputBias = optionalKey<bool>(j, "attention_bias", false, where);
        s.qkNorm = true;
        break;
    case Architecture::Gpt2: break;
    }
    if (isQwen && optionalKey<bool>(j, "use_sliding_window", false, where))
        throw Error(where, "key 'use_sliding_window' is true: sliding-window attention is not supported for " +
                               std::string(architectureName(s.architecture)),
                    "set it to false; the published Qwen checkpoints do");
    if (s.slidingWindow < 0) throwKeyError(where, "sliding_window", "must not be negative");
}

ModelSpec specFromJson(const json& j, const std::string& where) {
    if (!j.is_object()) throw Error(where, "expected a JSON object at the top level");
    ModelSpec s;
    s.configPath = where;
    s.architecture = resolveArchitecture(j, where);
    s.modelType = optionalKey<std::string>(j, "model_type", "", where);
    if (s.architecture == Architecture::Gpt2)
        parseGpt2(j, s, where);
    else
        parseLlamaFamily(j, s, where);
    parseSpecialTokens(j, s, where);
    s.torchDtype = optionalKey<std::string>(j, "torch_dtype", "", where);
    if (s.torchDtype.empty()) s.torchDtype = optionalKey<std::string>(j, "dtype", "", where);
    return s;
}

} // namespace

ModelSpec parseModelConfig(const std::string& configJsonPath) {
    return specFromJson(readJsonFile(configJsonPath), configJsonPath);
}

ModelSpec parseModelConfigText(const std::string& jsonText, const std::string& where) {
    return specFromJson(parseJson(jsonText, where), where);
}

std::vector<ParameterInfo> expectedParameters(const ModelSpec& s) {
    std::vector<ParameterInfo> out;
    auto add = [&out](std::string name, std::vector<int64_t> shape, std::string tiedTo = {}) {
        out.push_back({std::move(name), std::move(shape), std::move(tiedTo)});
    };
    const int64_t C = s.hiddenSize, V = s.vocabSize, I = s.intermediateSize;
    if (s.isGpt2()) {
        add("transformer.wte.weight", {V, C});
        add("transformer.wpe.weight", {s.maxPositions, C});
        for (int64_t l = 0; l < s.numLayers; ++l) {
            const std::string p = "transformer.h." + std::to_string(l) + ".";
            add(p + "ln_1.weight", {C});
            add(p + "ln_1.bias", {C});
            add(p + "attn.c_attn.weight", {C, 3 * C});  // Conv1D: [in, out]
            add(p + "attn.c_attn.bias", {3 * C});
            add(p + "attn.c_proj.weight", {C, C});
            add(p + "attn.c_proj.bias", {C});
            add(p + "ln_2.weight", {C});
            add(p + "ln_2.bias", {C});
            add(p + "mlp.c_fc.weight", {C, I});
            add(p + "mlp.c_fc.bias", {I});
            add(p + "mlp.c_proj.weight", {I, C});
            add(p + "mlp.c_proj.bias", {C});
        }
        add("transformer.ln_f.weight", {C});
        add("transformer.ln_f.bias", {C});
        add("lm_head.weight", {V, C}, s.tieWordEmbeddings ? "transformer.wte.weight" : "");
        return out;
    }
    const int64_t D = s.headDim;
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
        linear("self_attn.o_proj", s.qDim(), C, s.outputBias);
        if (s.qkNorm) {
            add(p + "self_attn.q_norm.weight", {D});
            add(p + "self_attn.k_norm.weight", {D});
        }
        linear("mlp.gate_proj", C, I, s.mlpBias);
        linear("mlp.up_proj", C, I, s.mlpBias);
        linear("mlp.down_proj", I, C, s.mlpBias);
        add(p + "input_layernorm.weight", {C});
        add(p + "post_attention_layernorm.weight", {C});
    }
    add("model.norm.weight", {C});
    add("lm_head.weight", {V, C}, s.tieWordEmbeddings ? "model.embed_tokens.weight" : "");
    return out;
}

int64_t parameterCount(const ModelSpec& spec) {
    int64_t n = 0;
    for (const auto& p : expectedParameters(spec)) {
        if (!p.tiedTo.empty()) continue;
        int64_t e = 1;
        for (int64_t d : p.shape) e *= d;
        n += e;
    }
    return n;
}

} // namespace lorastudio
