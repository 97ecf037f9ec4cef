// config.json -> ModelSpec: the family from the architecture table, whose reader follows the defaults
// of transformers' configuration class; the expected tensors come from the family too.
#include "model/model_spec.h"

#include "common/error.h"
#include "common/json_file.h"
#include "model/config_keys.h"

#include <filesystem>
#include <sstream>

namespace lorastudio {

using nlohmann::json;

const char* architectureName(Architecture a) { return architectureInfo(a).classNames.front().c_str(); }

std::vector<std::string> supportedArchitectures() {
    std::vector<std::string> names;
    for (const auto& family : architectureTable())
        names.insert(names.end(), family.classNames.begin(), family.classNames.end());
    return names;
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
    case RopeType::LongRope: return "longrope";
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

Architecture resolveArchitecture(const json& j, const std::string& where) {
    const std::string hint = "this build supports " + joined(supportedArchitectures());
    if (j.contains("architectures") && !j.at("architectures").is_null()) {
        const json& list = j.at("architectures");
        if (!list.is_array() || list.empty() || !list.at(0).is_string())
            throwKeyError(where, "architectures", "must be a non-empty list of class names");
        const std::string name = list.at(0).get<std::string>();
        const ArchitectureInfo* family = findArchitectureByClass(name);
        if (!family) throw Error(where, "unknown architecture '" + name + "' (key 'architectures')", hint);
        return family->id;
    }
    // Configs written by hand or by older tools may only carry model_type.
    const std::string type = optionalKey<std::string>(j, "model_type", "", where);
    if (type.empty()) throwKeyError(where, "architectures", "missing required key (and no 'model_type')");
    const ArchitectureInfo* family = findArchitectureByModelType(type);
    if (!family) throw Error(where, "unknown model_type '" + type + "' (no 'architectures' key)", hint);
    return family->id;
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

} // namespace

StoredQuantization storedQuantizationOf(const json& config) {
    StoredQuantization q;
    if (!config.is_object() || !config.contains("quantization_config")) return q;
    const json& c = config["quantization_config"];
    if (!c.is_object() || !c.contains("quant_method") || c["quant_method"] != "bitsandbytes") return q;
    auto flag = [&](const char* key) { return c.contains(key) && c[key].is_boolean() && c[key].get<bool>(); };
    if (flag("load_in_4bit") || flag("_load_in_4bit")) {
        q.format = c.contains("bnb_4bit_quant_type") && c["bnb_4bit_quant_type"].is_string()
                       ? c["bnb_4bit_quant_type"].get<std::string>() : "fp4";
        q.doubleQuant = flag("bnb_4bit_use_double_quant");
    } else if (flag("load_in_8bit") || flag("_load_in_8bit")) {
        q.format = "int8";
    }
    q.skipModules = {"lm_head"};  // transformers leaves the output head dense
    if (c.contains("llm_int8_skip_modules") && c["llm_int8_skip_modules"].is_array())
        for (const auto& m : c["llm_int8_skip_modules"])
            if (m.is_string()) q.skipModules.push_back(m.get<std::string>());
    return q;
}

bool StoredQuantization::covers(const std::string& module) const {
    if (!any()) return false;
    for (const auto& skip : skipModules)
        if (!skip.empty() && module.find(skip) != std::string::npos) return false;
    return true;
}

std::string StoredQuantization::describe() const {
    if (!any()) return {};
    if (format == "int8") return "8-bit";
    return format + (doubleQuant ? ", double quantization" : "");
}

namespace {

ModelSpec specFromJson(const json& j, const std::string& where) {
    if (!j.is_object()) throw Error(where, "expected a JSON object at the top level");
    ModelSpec s;
    s.configPath = where;
    s.architecture = resolveArchitecture(j, where);
    s.modelType = optionalKey<std::string>(j, "model_type", "", where);
    s.family().readConfig(j, s, where);
    checkSpecLimits(s, where);
    parseSpecialTokens(j, s, where);
    s.torchDtype = optionalKey<std::string>(j, "torch_dtype", "", where);
    if (s.torchDtype.empty()) s.torchDtype = optionalKey<std::string>(j, "dtype", "", where);
    s.storedQuantization = storedQuantizationOf(j);
    return s;
}

} // namespace

ModelSpec parseModelConfig(const std::string& configJsonPath) {
    // A wrong path is the commonest mistake: say whether the folder or only its config is missing.
    std::error_code ec;
    const std::filesystem::path config(configJsonPath);
    if (!std::filesystem::exists(config, ec)) {
        const std::filesystem::path folder = config.parent_path();
        if (!folder.empty() && !std::filesystem::is_directory(folder, ec))
            throw Error(folder.string(), "no such model folder",
                        "check the path (base_model in a project); a Hugging Face model folder holds config.json and *.safetensors");
        throw Error(configJsonPath, "no such file",
                    "a Hugging Face model folder holds config.json beside its *.safetensors; is this the right folder?");
    }
    return specFromJson(readJsonFile(configJsonPath), configJsonPath);
}

ModelSpec parseModelConfigText(const std::string& jsonText, const std::string& where) {
    return specFromJson(parseJson(jsonText, where), where);
}

std::vector<ParameterInfo> expectedParameters(const ModelSpec& s) { return s.family().parameters(s); }

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
