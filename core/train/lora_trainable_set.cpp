// core/lora's LoraModel as the trainer's TrainableSet. See lora_trainable_set.h.
#include "train/lora_trainable_set.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "io/safetensors.h"
#include "lora/export_folder.h"
#include "lora/peft_adapter.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace lorastudio {

LoraTrainableSet::LoraTrainableSet(std::shared_ptr<LoraModel> lora, std::string baseModelPath)
    : m_lora(std::move(lora)), m_baseModelPath(std::move(baseModelPath)) {
    // trainableParameters() (model names, the live tensors) and adapterStateDict() (PEFT keys,
    // detached views) list the same tensors in the same order; pair them and check that they do.
    const NamedTensors live = m_lora->trainableParameters();
    const NamedTensors keyed = m_lora->adapterStateDict();
    if (live.size() != keyed.size())
        throw Error("LoRA", "trainable parameters and adapter tensors differ in number (" + std::to_string(live.size()) +
                                " vs " + std::to_string(keyed.size()) + ")");
    for (std::size_t i = 0; i < live.size(); ++i) {
        if (live[i].second.data_ptr() != keyed[i].second.data_ptr())
            throw Error("LoRA", "adapter tensor '" + keyed[i].first + "' is not the trainable parameter '" +
                                    live[i].first + "'");
        m_params.push_back({keyed[i].first, live[i].second});
    }
}

std::vector<LoraModuleTensors> LoraTrainableSet::loraModules() const {
    std::vector<LoraModuleTensors> out;
    for (const auto& l : m_lora->layers()) {
        auto base = l->base();
        auto [a, b] = l->variant().analysisFactors(*l);
        out.push_back({l->name(), a, b, l->scaling(), base ? base->denseWeight() : at::Tensor()});
    }
    return out;
}

void LoraTrainableSet::saveAdapter(const std::string& folder) const {
    AdapterSaveOptions options;
    options.baseModelNameOrPath = m_baseModelPath;
    const NamedTensors tensors = m_lora->adapterStateDict();
    uint64_t bytes = 0;
    for (const auto& [name, t] : tensors) bytes += uint64_t(t.numel()) * t.element_size() + name.size() + 64;
    requireFreeSpace(folder, bytes, "adapter");
    writeFileAtomic((fs::path(folder) / "adapter_config.json").string(),
                    adapterConfigText(adapterConfigJson(*m_lora, options)));
    writeSafetensors((fs::path(folder) / kAdapterWeightsFile).string(), tensors, {{"format", "pt"}});
}

void LoraTrainableSet::setAdaptersEnabled(bool enabled) { m_lora->setEnabled(enabled); }

} // namespace lorastudio
