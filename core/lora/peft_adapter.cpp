// PEFT adapter folders: config JSON both ways, tensor export and import with checks. See
// peft_adapter.h.
#include "lora/peft_adapter.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_file.h"
#include "common/string_ends.h"
#include "io/safetensors.h"
#include "lora/export_folder.h"
#include "model/model_spec.h"

#include <torch/csrc/autograd/grad_mode.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

namespace fs = std::filesystem;

namespace lorastudio {

namespace {

const char* const kConfigFile = "adapter_config.json";
const char* const kWeightsFile = "adapter_model.safetensors";

nlohmann::json number(double v) {
    // PEFT writes Python ints for integral alphas (8, not 8.0).
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return nlohmann::json(int64_t(v));
    return nlohmann::json(v);
}

nlohmann::json targetModulesJson(const LoraModel& lora) {
    const LoraSettings& s = lora.settings();
    if (!s.excludeModules.isEmpty()) {
        // PEFT 0.8.2 has no exclude_modules: name the selected modules in full instead.
        std::vector<std::string> names;
        for (const auto& t : lora.targets()) names.push_back(t.name);
        std::sort(names.begin(), names.end());
        return names;
    }
    switch (s.targetModules.kind) {
    case ModuleSelection::Kind::List: return s.targetModules.names;
    case ModuleSelection::Kind::Regex:
        if (!equalsIgnoreCase(s.targetModules.regex, "all-linear")) return s.targetModules.regex;
        break;
    case ModuleSelection::Kind::AllLinear: break;
    }
    std::vector<std::string> names;
    for (const auto& m : linearModules(*lora.modelPtr())) names.push_back(m.name);
    return allLinearSuffixes(names);
}

ModuleSelection selectionFromJson(const nlohmann::json& v, const std::string& where, const std::string& key) {
    if (v.is_string()) {
        const auto text = v.get<std::string>();
        return equalsIgnoreCase(text, "all-linear") ? ModuleSelection::allLinear() : ModuleSelection::fromRegex(text);
    }
    if (v.is_array()) {
        std::vector<std::string> names;
        for (const auto& e : v) {
            if (!e.is_string()) throwKeyError(where, key, "must list strings, found " + jsonTypeName(e));
            names.push_back(e.get<std::string>());
        }
        return ModuleSelection::list(std::move(names));
    }
    throwKeyError(where, key, "must be a list of names or a regex string, found " + jsonTypeName(v));
}

// PEFT's TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING, from the architecture table.
std::vector<std::string> defaultTargets(Architecture a) { return architectureInfo(a).peftDefaultTargets; }

// The adapter tensor file of a folder, or the file itself.
std::string weightsPath(const std::string& folderOrFile) {
    if (fs::is_directory(folderOrFile)) {
        const auto p = (fs::path(folderOrFile) / kWeightsFile).string();
        if (!fs::exists(p)) {
            const bool bin = fs::exists(fs::path(folderOrFile) / "adapter_model.bin");
            throw Error(p, "no such file", bin ? "only safetensors adapters are read; convert adapter_model.bin "
                                                 "with PEFT (safe_serialization=True)"
                                               : "is this a PEFT adapter folder?");
        }
        return p;
    }
    return folderOrFile;
}

std::string shapeOf(const at::Tensor& t) { return shapeString(t.sizes().vec()); }

// The variant tensor an adapter key (without the PEFT prefix) names: (module + "." + suffix, the
// live tensor), or nothing.
std::optional<std::pair<std::string, at::Tensor>> variantTensorFor(const LoraModel& lora, const std::string& key) {
    for (const auto& l : lora.layers())
        for (const auto& extra : l->variant().extraTensors()) {
            const std::string name = l->name() + "." + extra.adapterSuffix;
            if (key == name || key == name + ".weight") return std::make_pair(name, extra.module->weight());
        }
    return std::nullopt;
}

} // namespace

nlohmann::json adapterConfigJson(const LoraModel& lora, const AdapterSaveOptions& options) {
    const LoraSettings& s = lora.settings();
    bool fanInFanOut = false;
    for (const auto& t : lora.targets()) fanInFanOut = fanInFanOut || t.conv1d;
    nlohmann::json rankPattern = nlohmann::json::object(), alphaPattern = nlohmann::json::object();
    for (const auto& [k, v] : s.rankPattern) rankPattern[k] = v;
    for (const auto& [k, v] : s.alphaPattern) alphaPattern[k] = number(v);
    nlohmann::json init = true;
    if (s.init != LoraInit::Default) init = loraInitName(s.init, s.pissaNiter);

    nlohmann::json j = nlohmann::json::object();
    j["alpha_pattern"] = alphaPattern;
    j["auto_mapping"] = nullptr;
    j["base_model_name_or_path"] = options.baseModelNameOrPath;
    j["bias"] = enumName(s.bias);
    j["fan_in_fan_out"] = fanInFanOut;
    j["inference_mode"] = true;
    j["init_lora_weights"] = init;
    j["layers_pattern"] = nullptr;
    j["layers_to_transform"] = s.layersToTransform.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.layersToTransform);
    j["loftq_config"] = nlohmann::json::object();
    j["lora_alpha"] = number(s.loraAlpha);
    j["lora_dropout"] = s.loraDropout;
    j["megatron_config"] = nullptr;
    j["megatron_core"] = "megatron.core";
    j["modules_to_save"] = s.modulesToSave.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.modulesToSave);
    j["peft_type"] = "LORA";
    j["r"] = s.r;
    j["rank_pattern"] = rankPattern;
    j["revision"] = nullptr;
    j["target_modules"] = targetModulesJson(lora);
    j["task_type"] = "CAUSAL_LM";
    // No use_dora (PEFT 0.9+): PEFT 0.8.2 refuses a config with a key it does not know, and every
    // PEFT reads a missing variant key as off. A variant's own keys are written when it is in use.
    j["use_rslora"] = s.useRslora;
    if (!lora.layers().empty()) lora.layers().front()->variant().writeConfig(j);
    return j;
}

std::string adapterConfigText(const nlohmann::json& config) { return config.dump(2, ' ', /*ensure_ascii=*/true); }

void saveAdapter(const LoraModel& lora, const std::string& folder, const AdapterSaveOptions& options) {
    const NamedTensors tensors = lora.adapterStateDict();
    const std::string config = adapterConfigText(adapterConfigJson(lora, options));
    uint64_t bytes = config.size();
    for (const auto& [name, t] : tensors) bytes += uint64_t(t.numel()) * t.element_size() + name.size() + 64;
    StagingFolder staging(folder, bytes, options.overwrite, "adapter");
    writeFileAtomic((fs::path(staging.path()) / kConfigFile).string(), config);
    writeSafetensors((fs::path(staging.path()) / kWeightsFile).string(), tensors, {{"format", "pt"}});
    staging.commit();
}

namespace {

// Keys of adapter_config.json: those read below, and those PEFT writes that mean nothing for a
// plain LoRA adapter at the value given here (any other value: a warning that it is not applied).
const std::set<std::string>& readKeys() {
    static const std::set<std::string> keys = {
        "peft_type", "use_dora", "r", "lora_alpha", "lora_dropout", "use_rslora", "fan_in_fan_out",
        "base_model_name_or_path", "bias", "target_modules", "exclude_modules", "modules_to_save",
        "layers_to_transform", "layers_pattern", "rank_pattern", "alpha_pattern", "init_lora_weights",
        "task_type", "inference_mode", "auto_mapping", "revision", "megatron_config", "megatron_core",
        "loftq_config", "peft_version"};
    return keys;
}
// Newer PEFT options and the value that leaves a plain LoRA unchanged.
const std::vector<std::pair<std::string, nlohmann::json>>& neutralKeys() {
    static const std::vector<std::pair<std::string, nlohmann::json>> keys = {
        {"layer_replication", nullptr}, {"lora_bias", false}, {"use_qalora", false}, {"qalora_group_size", 16},
        {"eva_config", nullptr}, {"corda_config", nullptr}, {"trainable_token_indices", nullptr},
        {"target_parameters", nullptr}, {"alora_invocation_tokens", nullptr}, {"arrow_config", nullptr},
        {"ensure_weight_tying", false}, {"use_bdlora", nullptr}, {"bdlora_config", nullptr}};
    return keys;
}

void collectWarnings(const nlohmann::json& j, const std::string& where, std::vector<std::string>& warnings) {
    for (const auto& [key, value] : j.items()) {
        if (readKeys().count(key)) continue;
        const std::string& name = key;  // a lambda may not capture a structured binding before C++20 (clang)
        const auto neutral = std::find_if(neutralKeys().begin(), neutralKeys().end(), [&](const auto& n) { return n.first == name; });
        if (neutral == neutralKeys().end())
            warnings.push_back(where + ": unknown key '" + key + "', ignored");
        else if (!value.is_null() && value != neutral->second && !(value.is_object() && value.empty()) &&
                 !(value.is_array() && value.empty()))
            warnings.push_back(where + ": '" + key + "' is " + value.dump() +
                               ": LoRA Studio does not apply this PEFT option, the adapter may compute differently");
    }
}

} // namespace

AdapterConfig readAdapterConfig(const std::string& folderOrFile, Architecture architecture) {
    AdapterConfig out;
    out.path = fs::is_directory(folderOrFile) ? (fs::path(folderOrFile) / kConfigFile).string() : folderOrFile;
    if (std::error_code ec; !fs::exists(out.path, ec))
        throw Error(out.path, "no such file",
                    "a PEFT adapter folder holds adapter_config.json and adapter_model.safetensors; check the path");
    const nlohmann::json j = readJsonFile(out.path);
    const std::string& where = out.path;
    if (!j.is_object()) throw Error(where, "is not a JSON object", "is this a PEFT adapter_config.json?");

    const auto peftType = optionalKey<std::string>(j, "peft_type", "LORA", where);
    if (peftType != "LORA")
        throw Error(where, "peft_type is '" + peftType + "', only LORA adapters are supported",
                    "LoRA Studio reads PEFT LoRA adapters (DoRA included); train or convert a LoRA adapter");
    LoraSettings& s = out.settings;
    s.useDora = optionalKey<bool>(j, "use_dora", false, where);
    s.r = requireKey<int>(j, "r", where);
    s.loraAlpha = optionalKey<double>(j, "lora_alpha", 8.0, where);  // PEFT's default
    s.loraDropout = optionalKey<double>(j, "lora_dropout", 0.0, where);
    s.useRslora = optionalKey<bool>(j, "use_rslora", false, where);
    out.fanInFanOut = optionalKey<bool>(j, "fan_in_fan_out", false, where);
    out.baseModelNameOrPath = optionalKey<std::string>(j, "base_model_name_or_path", "", where);

    const auto bias = optionalKey<std::string>(j, "bias", "none", where);
    const auto biasValue = enumFromName<LoraBias>(bias);
    if (!biasValue) throwKeyError(where, "bias", "is '" + bias + "'; expected none, all or lora_only");
    s.bias = *biasValue;

    if (!j.contains("target_modules") || j["target_modules"].is_null())
        s.targetModules = ModuleSelection::list(defaultTargets(architecture));
    else
        s.targetModules = selectionFromJson(j["target_modules"], where, "target_modules");
    if (j.contains("exclude_modules") && !j["exclude_modules"].is_null())
        s.excludeModules = selectionFromJson(j["exclude_modules"], where, "exclude_modules");
    s.modulesToSave = optionalKey<std::vector<std::string>>(j, "modules_to_save", {}, where);

    if (j.contains("layers_to_transform") && !j["layers_to_transform"].is_null()) {
        const auto& v = j["layers_to_transform"];
        if (v.is_number_integer()) s.layersToTransform = {v.get<int>()};
        else s.layersToTransform = optionalKey<std::vector<int>>(j, "layers_to_transform", {}, where);
        const auto& pattern = j.value("layers_pattern", nlohmann::json());
        if (!pattern.is_null() && !(pattern.is_string() && (pattern == "layers" || pattern == "h")))
            throwKeyError(where, "layers_pattern", "is " + pattern.dump() + "; only the default pattern is supported");
    }
    for (const auto& [key, map] : {std::pair<const char*, bool>{"rank_pattern", true}, {"alpha_pattern", false}}) {
        if (!j.contains(key) || j[key].is_null()) continue;
        if (!j[key].is_object()) throwKeyError(where, key, "must be an object, found " + jsonTypeName(j[key]));
        for (const auto& [k, v] : j[key].items()) {  // sorted, as PEFT wrote them
            if (map ? !v.is_number_integer() : !v.is_number())
                throwKeyError(where, std::string(key) + "." + k, "must be a number, found " + jsonTypeName(v));
            if (map) s.rankPattern.emplace_back(k, v.get<int>());
            else s.alphaPattern.emplace_back(k, v.get<double>());
        }
    }
    if (j.contains("init_lora_weights") && !j["init_lora_weights"].is_null()) {
        const auto& v = j["init_lora_weights"];
        if (v.is_boolean()) {
            s.init = LoraInit::Default;  // false (no init) is irrelevant once weights are loaded
        } else if (!v.is_string() || !parseLoraInit(v.get<std::string>(), s.init, s.pissaNiter)) {
            throwKeyError(where, "init_lora_weights", "is " + v.dump() + "; expected true, gaussian or pissa");
        }
    }
    collectWarnings(j, where, out.warnings);
    return out;
}

void loadAdapterWeights(LoraModel& lora, const std::string& folderOrFile) {
    const std::string path = weightsPath(folderOrFile);
    const auto file = SafetensorsFile::open(path);
    CausalLM& model = lora.model();

    std::map<std::string, at::Tensor> params;
    for (auto& item : model.named_parameters(true)) params.emplace(item.key(), item.value());
    std::set<std::string> linearNames;
    for (const auto& m : linearModules(model)) linearNames.insert(m.name);

    std::set<std::string> loaded;
    torch::NoGradGuard noGrad;
    auto copyInto = [&](at::Tensor& dst, const TensorInfo& info, const std::string& hint) {
        at::Tensor src = file->tensor(info.name);
        if (src.sizes() != dst.sizes())
            throw Error(path, "tensor '" + info.name + "' has shape " + shapeOf(src) + ", expected " + shapeOf(dst),
                        hint);
        dst.copy_(src);
    };
    for (const auto& info : file->tensors()) {
        std::string key = info.name;
        if (key.rfind(kPeftKeyPrefix, 0) == 0) key = key.substr(std::string(kPeftKeyPrefix).size());
        const bool isA = endsWith(key, ".lora_A.weight"), isB = endsWith(key, ".lora_B.weight");
        if (isA || isB) {
            const std::string module = key.substr(0, key.size() - 14);
            auto layer = lora.layer(module);
            if (!layer) {
                if (linearNames.count(module))
                    throw Error(path, "LoRA tensor '" + info.name + "' is for module '" + module +
                                          "', which the adapter's target_modules does not select",
                                "adapter_config.json and adapter_model.safetensors disagree");
                throw Error(path, "LoRA tensor '" + info.name + "' does not exist in base model",
                            "maybe wrong base model?");
            }
            copyInto(isA ? layer->loraA() : layer->loraB(), info,
                     "maybe wrong base model, or r differs from adapter_config.json (r = " +
                         std::to_string(layer->r()) + " for this module)");
            loaded.insert(key);
            continue;
        }
        // A variant's own tensors ("<module>.lora_magnitude_vector"; PEFT >= 0.12 names it with
        // ".weight" in memory, and a file may carry that form too).
        if (auto extra = variantTensorFor(lora, key)) {
            copyInto(extra->second, info, "maybe wrong base model?");
            loaded.insert(extra->first);
            continue;
        }
        // Biases and modules_to_save: model parameters under their model names.
        if (endsWith(key, ".base_layer.bias")) key = key.substr(0, key.size() - 16) + ".bias";
        auto it = params.find(key);
        if (it == params.end())
            throw Error(path, "tensor '" + info.name + "' does not exist in base model", "maybe wrong base model?");
        copyInto(it->second, info, "maybe wrong base model?");
    }
    for (const auto& l : lora.layers()) {
        std::vector<std::string> parts{".lora_A.weight", ".lora_B.weight"};
        for (const auto& extra : l->variant().extraTensors()) parts.push_back("." + extra.adapterSuffix);
        for (const auto& part : parts)
            if (!loaded.count(l->name() + part))
                throw Error(path, "missing tensor '" + std::string(kPeftKeyPrefix) + l->name() + part + "'",
                            "the file does not hold every module adapter_config.json targets");
    }
}

std::shared_ptr<LoraModel> loadAdapter(std::shared_ptr<CausalLM> model, const std::string& folder,
                                       LoraAttachOptions options) {
    if (!model) throw Error(folder, "no base model given to load the adapter into");
    const AdapterConfig config = readAdapterConfig(folder, model->spec().architecture);
    options.initialize = false;
    std::shared_ptr<LoraModel> lora;
    try {
        lora = LoraModel::attach(model, config.settings, options);
    } catch (const Error& e) {
        throw Error(config.path, e.what(), "maybe wrong base model?");
    }
    try {
        loadAdapterWeights(*lora, folder);
    } catch (...) {
        lora->detach();
        throw;
    }
    return lora;
}

} // namespace lorastudio
