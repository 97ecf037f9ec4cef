// See adapter_modules.h.
#include "analysis/adapter_modules.h"

#include "common/error.h"
#include "io/safetensors.h"
#include "lora/peft_adapter.h"
#include "lora/target_matching.h"
#include "model/model_spec.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace lorastudio {

std::vector<ModuleInput> adapterModuleInputs(const std::string& adapterFolder, const std::string& baseModelFolder) {
    // The architecture only matters for a null target_modules (PEFT's per-model default).
    Architecture arch = Architecture::Llama;
    std::unique_ptr<Checkpoint> base;
    if (!baseModelFolder.empty()) {
        arch = parseModelConfig((fs::path(baseModelFolder) / "config.json").string()).architecture;
        base = std::make_unique<Checkpoint>(Checkpoint::open(baseModelFolder));
    }
    const AdapterConfig config = readAdapterConfig(adapterFolder, arch);
    const Checkpoint weights = Checkpoint::open(adapterFolder);
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& name : weights.names()) tensors.emplace_back(name, weights.tensor(name));

    std::vector<ModuleInput> modules = pairLoraTensors(tensors, 1.0);
    for (auto& m : modules) {
        const RankAlpha ra = rankAndAlphaFor(m.name, config.settings);
        m.scaling = loraScaling(ra.alpha, static_cast<int>(m.A.size(0)), config.settings.useRslora);
        if (!base) continue;
        // GPT-2 checkpoints may or may not carry the "transformer." prefix.
        std::string key = m.name + ".weight";
        if (!base->contains(key) && key.rfind("transformer.", 0) == 0) key = key.substr(12);
        if (!base->contains(key))
            throw Error(adapterFolder, "LoRA module '" + m.name + "' does not exist in base model " + baseModelFolder,
                        "maybe wrong base model?");
        m.baseWeight = base->tensor(key);
    }
    return modules;
}

} // namespace lorastudio
