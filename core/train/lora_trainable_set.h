// LoraTrainableSet: core/lora's LoraModel seen through the trainer's TrainableSet: parameters under
// their PEFT keys (the names saveAdapter writes), per-module (A, B, scaling) for analysis, and a
// PEFT adapter folder (adapter_config.json + adapter_model.safetensors) for checkpoints and export.
#pragma once
#include "lora/lora_model.h"
#include "train/trainable_set.h"

#include <memory>
#include <string>
#include <vector>

namespace lorastudio {

class LoraTrainableSet : public TrainableSet {
public:
    // baseModelPath goes into adapter_config.json (base_model_name_or_path).
    LoraTrainableSet(std::shared_ptr<LoraModel> lora, std::string baseModelPath);

    std::vector<TrainableParameter> parameters() const override { return m_params; }
    std::vector<LoraModuleTensors> loraModules() const override;
    // Writes both files straight into `folder` (the caller stages the folder): checkpoints and
    // the trainer's export write into a temporary folder that is renamed as a whole.
    void saveAdapter(const std::string& folder) const override;
    void setAdaptersEnabled(bool enabled) override;

    LoraModel& lora() { return *m_lora; }

private:
    std::shared_ptr<LoraModel> m_lora;
    std::string m_baseModelPath;
    std::vector<TrainableParameter> m_params;  // trainableParameters() named by adapterStateDict() keys
};

} // namespace lorastudio
