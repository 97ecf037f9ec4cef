// INTERIM: a minimal LoRA attach for the trainer until core/lora's LoraLinear lands (branch `lora`).
// Freezes the model, plans targets with core/lora's planLoraTargets, and hooks an adapter
// B(A(dropout(x))) * scaling into each targeted LinearLayer; exposes them as a TrainableSet with
// PEFT names. Supports init default/gaussian and bias none only. To be replaced by core/lora.
#pragma once
#include "model/causal_lm.h"
#include "project/project_config.h"
#include "train/trainable_set.h"

#include <memory>
#include <string>

namespace lorastudio {

// The model must be on its final device and dtype. A and B are created fp32 on the model's device;
// A ~ U(-1/sqrt(in), 1/sqrt(in)) (kaiming_uniform, a = sqrt(5)) from the default generator (or
// N(0, 1/r) for init gaussian), B = 0. baseModelPath goes into adapter_config.json.
std::shared_ptr<TrainableSet> attachInterimLora(CausalLM& model, const LoraSettings& settings,
                                                const std::string& baseModelPath);

} // namespace lorastudio
