// inspectModel: the only place the studio builds a (meta-device) model, so the Linear module names
// are exactly those LoRA will see. Torch headers come first in this file, before anything Qt.
#include "model_info.h"

#include "common/error.h"
#include "io/folder_safety.h"
#include "io/safetensors.h"
#include "model/causal_lm.h"
#include "model/linear_layer.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace lorastudio::ui {

std::vector<std::string> ModelInfo::linearNames() const {
    std::vector<std::string> names;
    names.reserve(linears.size());
    for (const auto& m : linears) names.push_back(m.name);
    return names;
}

std::string ModelInfo::dtypeSummary() const {
    std::string out;
    for (const auto& [name, count] : dtypeCounts) {
        if (!out.empty()) out += ", ";
        out += name;
        if (dtypeCounts.size() > 1) out += " x" + std::to_string(count);
    }
    return out;
}

ModelInfo inspectModel(const std::string& dir) {
    namespace fs = std::filesystem;
    ModelInfo info;
    info.path = dir;
    if (!fs::is_directory(dir))
        throw Error(dir, "not a folder", "pick a Hugging Face model folder holding config.json and *.safetensors");
    info.warnings = folderSafetyWarnings(dir);
    info.spec = parseModelConfig((fs::path(dir) / "config.json").string());
    const Checkpoint checkpoint = Checkpoint::open(dir);
    info.checkpointBytes = checkpoint.totalBytes();
    info.checkpointFiles = static_cast<int>(checkpoint.files().size());
    for (const auto& name : checkpoint.names()) info.dtypeCounts[dtypeName(checkpoint.find(name)->dtype)]++;
    info.parameters = parameterCount(info.spec);
    try {
        // Meta device: modules and shapes without allocating a byte of weights.
        auto model = createCausalLM(info.spec, at::TensorOptions().dtype(at::kFloat).device(at::kMeta));
        for (const auto& m : linearModules(*model))
            info.linears.push_back(LinearModuleShape{m.name, m.inFeatures, m.outFeatures, m.conv1d, m.tied});
    } catch (const c10::Error& e) {
        throw Error(dir, std::string("cannot build the model's modules: ") + e.what_without_backtrace());
    }
    return info;
}

} // namespace lorastudio::ui
